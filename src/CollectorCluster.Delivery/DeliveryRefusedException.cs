namespace CollectorCluster.Delivery;

/// <summary>
/// The destination answered but did not take the message: an LMTP/SMTP 4xx/5xx reply, or an MDA's exit status.
/// The message stays uncollected (it is not recorded, so not deleted on the POP3 server); <see cref="Transient"/>
/// tells a retry-worthy refusal (4xx, EX_TEMPFAIL) from one that needs a person (5xx, other exit codes).
/// </summary>
public sealed class DeliveryRefusedException : IOException
{
    /// <summary>Creates the exception; <paramref name="reply"/> is the server's reply or the program's stderr.</summary>
    public DeliveryRefusedException(string destination, string accountId, string what, string reply, bool transient)
        : base($"{destination} for account '{accountId}' {(transient ? "temporarily " : "")}refused {what}: {reply}"
            + (transient ? " (transient; retried next session)" : " (permanent; fix the destination, the message stays on the POP3 server)"))
    {
        Destination = destination;
        AccountId = accountId;
        Reply = reply;
        Transient = transient;
    }

    /// <summary>The destination, e.g. <c>lmtp:127.0.0.1:24</c>.</summary>
    public string Destination { get; }

    /// <summary>The account whose delivery was refused.</summary>
    public string AccountId { get; }

    /// <summary>The server's reply text (all lines) or the program's exit status and stderr.</summary>
    public string Reply { get; }

    /// <summary>True for 4xx replies and EX_TEMPFAIL (75): the same delivery may work later.</summary>
    public bool Transient { get; }
}
