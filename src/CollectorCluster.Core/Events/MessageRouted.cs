using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Events;

/// <summary>
/// Where a message of a multidrop account went, journalled with it (before its <see cref="MessageCollected"/>): each
/// user's copy and its outcome, and the addresses refused. A repeated session after a crash journals it again, with
/// the copies delivered before the crash as already delivered.
/// </summary>
/// <param name="Uidl">The message's UIDL (or content key).</param>
/// <param name="DuplicateKey">Message-ID plus body digest (<see cref="Routing.DuplicateKey"/>); null without a Message-ID.</param>
/// <param name="Source">Where the recipients came from: the envelope header's name, or <c>To/Cc</c>.</param>
/// <param name="Copies">One per local user.</param>
/// <param name="Refused">Local addresses no user takes (multidrop without a default).</param>
/// <param name="At">When the fan-out finished.</param>
public sealed record MessageRouted(
    string Uidl, string? DuplicateKey, string Source, IReadOnlyList<RoutedCopy> Copies, IReadOnlyList<RefusedRecipient> Refused, DateTimeOffset At) : IAccountEvent;
