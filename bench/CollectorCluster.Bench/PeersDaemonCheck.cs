namespace CollectorCluster.Bench;

/// <summary>
/// One incremental check of the daemon-10 scenario: collectorctl's exit and output, and the session as the collector
/// measured it (the deltas of its own histograms over this one check).
/// </summary>
/// <param name="ExitCode">collectorctl's exit code.</param>
/// <param name="Output">What collectorctl printed.</param>
/// <param name="Sessions">Sessions the metrics counted during the check (1 unless the account's schedule also ran).</param>
/// <param name="WallSeconds">The session's wall time (<c>collector.session.duration</c>).</param>
/// <param name="CpuSeconds">The session's process CPU (<c>collector.session.cpu</c>); null when it was not recorded.</param>
/// <param name="RssMiB">The daemon's resident set after the check.</param>
/// <param name="CtlSeconds">collectorctl's whole run (its own start included), as the operator waits for it.</param>
internal sealed record PeersDaemonCheck(int ExitCode, string Output, int Sessions, double WallSeconds, double? CpuSeconds, double RssMiB, double CtlSeconds);
