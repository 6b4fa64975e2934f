using CollectorCluster.Core.Routing;

namespace CollectorCluster.Actors.Recipients;

// The recipient protocol: what a multidrop delivery says to one local recipient's duplicate memory (RecipientActor).
// Every message crosses nodes on a cluster, so each is bound to the collector's versioned serializer.

/// <summary>Marker for the recipient protocol's messages (commands and answers): bound to the collector's serializer.</summary>
public interface IRecipientMessage
{
}

/// <summary>Any message addressed to one recipient; sharding routes it by <see cref="RecipientId"/>.</summary>
public interface IRecipientCommand : IRecipientMessage
{
    /// <summary>The recipient (entity id, <see cref="Core.Routing.RecipientId.For"/>).</summary>
    string RecipientId { get; }
}

/// <summary>A session wants to deliver a copy. Answered with <see cref="CopyClaimAnswer"/>, never <see cref="ClaimAnswer.Wait"/>: while another source holds a claim on it, the answer waits.</summary>
/// <param name="RecipientId">The recipient.</param>
/// <param name="Key">The duplicate key.</param>
/// <param name="Source">The account and UIDL (<c>account/uidl</c>).</param>
public sealed record ClaimCopy(string RecipientId, string Key, string Source) : IRecipientCommand;

/// <summary>The copy is durably in the recipient's destination: remember it. Answered with <see cref="CopyConfirmed"/> once journalled.</summary>
/// <param name="RecipientId">The recipient.</param>
/// <param name="Key">The duplicate key.</param>
/// <param name="Source">The account and UIDL.</param>
/// <param name="At">When it was delivered.</param>
/// <param name="Window">How long it suppresses further copies (the delivering account's duplicate window).</param>
public sealed record ConfirmCopy(string RecipientId, string Key, string Source, DateTimeOffset At, TimeSpan Window) : IRecipientCommand;

/// <summary>The delivery failed: the claim ends (nothing answers).</summary>
/// <param name="RecipientId">The recipient.</param>
/// <param name="Key">The duplicate key.</param>
/// <param name="Source">The account and UIDL.</param>
public sealed record ReleaseCopy(string RecipientId, string Key, string Source) : IRecipientCommand;

/// <summary>The answer to <see cref="ClaimCopy"/>.</summary>
/// <param name="Key">The duplicate key.</param>
/// <param name="Answer">Granted, already delivered by this source, or a duplicate.</param>
/// <param name="DeliveredFrom">For a duplicate: the source whose copy the recipient has.</param>
public sealed record CopyClaimAnswer(string Key, ClaimAnswer Answer, string? DeliveredFrom) : IRecipientMessage;

/// <summary>The answer to <see cref="ConfirmCopy"/>: the copy is in the recipient's journal.</summary>
/// <param name="Key">The duplicate key.</param>
public sealed record CopyConfirmed(string Key) : IRecipientMessage;
