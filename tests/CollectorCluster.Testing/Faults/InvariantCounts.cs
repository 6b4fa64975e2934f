namespace CollectorCluster.Testing.Faults;

/// <summary>What <see cref="MailboxInvariant.Final"/> found for one mailbox after a fault and its recovery.</summary>
/// <param name="Lost">Messages that should be in the destination and are not.</param>
/// <param name="Duplicated">Extra copies in the destination (a local deletion delivered again counts), outside the LMTP window.</param>
/// <param name="DeletedBeforeDelivered">Messages gone from the server while the destination did not hold them (at any check point).</param>
/// <param name="DeletedAgainstSetting">Leave or mirror: messages gone from the server that nobody deleted on purpose.</param>
/// <param name="Corrupt">Destination files matching no message (truncated or altered body, unknown Message-ID).</param>
/// <param name="LmtpWindow">Duplicates within the README's documented LMTP window (250 received, journal write lost).</param>
/// <param name="Detail">Which messages, for the findings.</param>
public sealed record InvariantCounts(int Lost, int Duplicated, int DeletedBeforeDelivered, int DeletedAgainstSetting, int Corrupt, int LmtpWindow, string Detail);
