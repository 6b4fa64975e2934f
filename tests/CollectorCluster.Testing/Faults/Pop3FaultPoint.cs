using System.Globalization;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// A protocol step of one POP3 connection where a <see cref="Pop3FaultProxy"/> strikes: after, inside or before the
/// k-th reply to a command, or at a byte offset of the server's stream. Inside a reply the point is an offset in it, or
/// a fraction of the body that the status line announces (<c>+OK 1234 octets</c>); it is never the reply's last byte, so
/// the client never has the whole reply.
/// </summary>
/// <param name="Place">Where relative to the reply.</param>
/// <param name="Verb">The command whose reply is meant (<c>RETR</c>, <c>CAPA</c>, <see cref="Pop3ResponseTracker.Greeting"/>).</param>
/// <param name="Occurrence">Which reply to that command on the connection (1 = the first).</param>
/// <param name="Offset">WithinReply: the reply byte to stop before (without <paramref name="Fraction"/>, or when the status line announces no size); AtStreamOffset: the stream byte.</param>
/// <param name="Fraction">WithinReply: the share of the announced body after which to stop (0 to 1).</param>
public sealed record Pop3FaultPoint(Pop3FaultPlace Place, string Verb, int Occurrence, long Offset = 0, double? Fraction = null)
{
    /// <summary>Right after the whole reply reached the client.</summary>
    public static Pop3FaultPoint After(string verb, int occurrence = 1) => new(Pop3FaultPlace.AfterReply, verb, occurrence);

    /// <summary>Before reply byte <paramref name="offset"/> (at least 1), or before the reply's last byte if it is shorter.</summary>
    public static Pop3FaultPoint Within(string verb, int occurrence, long offset) =>
        new(Pop3FaultPlace.WithinReply, verb, occurrence, Math.Max(1, offset));

    /// <summary>After <paramref name="fraction"/> of the body the status line announces (else of <paramref name="fallbackLength"/> bytes).</summary>
    public static Pop3FaultPoint WithinBody(string verb, int occurrence, double fraction, long fallbackLength) =>
        new(Pop3FaultPlace.WithinReply, verb, occurrence, Math.Max(1, fallbackLength), Math.Clamp(fraction, 0, 1));

    /// <summary>Before the reply's first byte.</summary>
    public static Pop3FaultPoint Before(string verb, int occurrence = 1) => new(Pop3FaultPlace.BeforeReply, verb, occurrence);

    /// <summary>Before byte <paramref name="offset"/> of the server's stream.</summary>
    public static Pop3FaultPoint AtStreamOffset(long offset) => new(Pop3FaultPlace.AtStreamOffset, "", 0, Math.Max(0, offset));

    /// <summary>True when the proxy must stop before forwarding the byte <paramref name="next"/> describes.</summary>
    public bool StopsBefore(Pop3ByteInfo next, Pop3ResponseTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        switch (Place)
        {
            case Pop3FaultPlace.AtStreamOffset:
                return next.Position.StreamOffset >= Offset;
            case Pop3FaultPlace.BeforeReply:
                return next.First && Matches(next.Position);
            case Pop3FaultPlace.WithinReply:
                if (next.First || !Matches(next.Position))
                {
                    return false;
                }

                return next.Last || next.Position.Offset >= Target(tracker);
            default:
                return false;
        }
    }

    /// <summary>True when the proxy must stop right after forwarding the byte <paramref name="consumed"/> described.</summary>
    public bool StopsAfter(Pop3ByteInfo consumed) =>
        Place == Pop3FaultPlace.AfterReply && consumed.Last && Matches(consumed.Position);

    /// <inheritdoc />
    public override string ToString()
    {
        var reply = string.Create(CultureInfo.InvariantCulture, $"{Verb} #{Occurrence}");
        return Place switch
        {
            Pop3FaultPlace.AfterReply => $"after {reply}",
            Pop3FaultPlace.BeforeReply => $"before the reply to {reply}",
            Pop3FaultPlace.WithinReply when Fraction is { } f => string.Create(CultureInfo.InvariantCulture, $"inside {reply} at {f:P0} of its body"),
            Pop3FaultPlace.WithinReply => string.Create(CultureInfo.InvariantCulture, $"inside {reply} at byte {Offset}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"at stream byte {Offset}"),
        };
    }

    private bool Matches(Pop3BytePosition position) =>
        string.Equals(position.Verb, Verb, StringComparison.OrdinalIgnoreCase) && position.Occurrence == Occurrence;

    // The reply byte to stop before: a share of the announced body once the status line is in, else the fixed offset.
    private long Target(Pop3ResponseTracker tracker)
    {
        if (Fraction is not { } fraction)
        {
            return Offset;
        }

        if (!tracker.InBody)
        {
            return long.MaxValue; // the status line is still arriving: stop only before its last byte
        }

        var octets = Pop3ResponseTracker.AnnouncedOctets(tracker.StatusLine) ?? Offset;
        return tracker.BodyOffset + (long)Math.Floor(fraction * octets);
    }
}
