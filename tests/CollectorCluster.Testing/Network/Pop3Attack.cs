namespace CollectorCluster.Testing.Network;

/// <summary>One misbehaviour of a <see cref="HostilePop3Server"/>, with its figures.</summary>
/// <param name="Kind">What the server does wrong.</param>
/// <param name="Amount">Lines, bytes or bytes per tick, as <paramref name="Kind"/> says.</param>
/// <param name="Interval">The tick of a trickle.</param>
public sealed record Pop3Attack(Pop3AttackKind Kind, long Amount = 0, TimeSpan Interval = default)
{
    /// <summary>An honest server.</summary>
    public static Pop3Attack None { get; } = new(Pop3AttackKind.None);

    /// <summary>A UIDL listing of <paramref name="lines"/> lines.</summary>
    public static Pop3Attack UidlListing(long lines) => new(Pop3AttackKind.EndlessUidlListing, lines);

    /// <summary>A UIDL of <paramref name="bytes"/> bytes for the last message.</summary>
    public static Pop3Attack LongUidl(long bytes) => new(Pop3AttackKind.LongUidl, bytes);

    /// <summary>The last message's body runs <paramref name="extraBytes"/> past its LIST size.</summary>
    public static Pop3Attack BodyBeyondListedSize(long extraBytes) => new(Pop3AttackKind.BodyBeyondListedSize, extraBytes);

    /// <summary>UIDL trickles one byte every <paramref name="interval"/>.</summary>
    public static Pop3Attack TrickleUidl(TimeSpan interval) => new(Pop3AttackKind.TrickleUidl, 1, interval);

    /// <summary>RETR of the last message trickles <paramref name="bytesPerTick"/> bytes every <paramref name="interval"/>.</summary>
    public static Pop3Attack TrickleRetr(int bytesPerTick, TimeSpan interval) => new(Pop3AttackKind.TrickleRetr, bytesPerTick, interval);
}
