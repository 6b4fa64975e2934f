namespace CollectorCluster.Core.Events;

/// <summary>
/// UIDLs another collector (fetchmail, getmail, mpop) had already fetched from this mailbox, taken over by
/// <c>collector import</c>: they count as collected, so the first session after switching downloads only what the old
/// tool had not seen. Recorded once per seed file.
/// </summary>
/// <param name="File">The seed file read (the account's <c>imported-uidls</c>), so it is not read again.</param>
/// <param name="Origin">Where the peer kept them, e.g. <c>fetchmail /home/fred/.fetchids</c>.</param>
/// <param name="Uidls">The UIDLs.</param>
/// <param name="At">When they were taken over.</param>
public sealed record UidlsImported(string File, string Origin, IReadOnlyList<string> Uidls, DateTimeOffset At) : IAccountEvent;
