using System.Globalization;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// The faults a session on the shared in-process node meets: the link cut at a protocol step, a full destination, a
/// server whose UIDLs change after a cut. Each: (mirror: a clean first collection and deletions on both sides), the
/// faulted session, a check point, the repair, recovery sessions on the same node, the invariant.
/// </summary>
internal static class InProcessFaults
{
    private static readonly TimeSpan ServerSettles = TimeSpan.FromSeconds(30);

    public static async Task<FaultOutcome> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        context.WriteNodeFile();
        var settings = context.Settings();
        Task<RunResult> Collect() => context.Lab.CollectOnSharedNodeAsync(settings, cancellationToken);
        if (context.Scenario.Mode == CollectionMode.Mirror)
        {
            await context.PrepareMirrorAsync(Collect).ConfigureAwait(false);
        }

        var (injected, fault) = context.Scenario.Kind == FaultKind.DestinationFull
            ? await FillDestinationAsync(context, Collect).ConfigureAwait(false)
            : await CutLinkAsync(context, Collect, cancellationToken).ConfigureAwait(false);

        if (context.Hung > 0)
        {
            // The account is still in its session on the shared node: nothing can recover it there.
            context.Note("not recovered: the faulted session hung");
            return context.Finish(injected, fault, recovered: false);
        }

        await context.RecoverAsync(Collect).ConfigureAwait(false);
        return context.Finish(injected, fault, recovered: context.Hung == 0);
    }

    private static async Task<(bool Injected, string Fault)> CutLinkAsync(ScenarioContext context, Func<Task<RunResult>> collect, CancellationToken cancellationToken)
    {
        var point = FaultPoints.ForCut(context);
        context.Proxy.Arm(point, Pop3FaultAction.Cut);
        var result = await collect().ConfigureAwait(false);
        context.Note($"faulted session: {result}");
        if (!result.Finished)
        {
            context.Hung++;
        }

        var injected = context.Proxy.Triggered;
        var fault = injected ? await context.Proxy.Reached.ConfigureAwait(false) : $"{point} (not reached: the session never got there)";
        context.Proxy.Disarm();
        context.CheckPoint();

        if (context.Scenario.Kind == FaultKind.UidlChange && result.Finished)
        {
            var changed = await RenumberAsync(context, cancellationToken).ConfigureAwait(false);
            fault += changed ? "; then the server renumbered the mailbox (every UIDL changed)" : "; the renumbering did not change the UIDLs";
            injected &= changed;
        }

        return (injected, fault);
    }

    private static async Task<bool> RenumberAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var dovecot = context.Lab.Dovecot;
        var user = context.Source;
        await DovecotSessions.WaitForSessionsToEndAsync(dovecot, user.Name, ServerSettles, cancellationToken).ConfigureAwait(false);
        var before = await DovecotSessions.UidlsAsync(dovecot, user, cancellationToken).ConfigureAwait(false);
        await DovecotSessions.WaitForSessionsToEndAsync(dovecot, user.Name, ServerSettles, cancellationToken).ConfigureAwait(false);
        DovecotSessions.Renumber(dovecot, user.Name);
        var after = await DovecotSessions.UidlsAsync(dovecot, user, cancellationToken).ConfigureAwait(false);
        await DovecotSessions.WaitForSessionsToEndAsync(dovecot, user.Name, ServerSettles, cancellationToken).ConfigureAwait(false);
        return before.Count == after.Count && !before.Intersect(after, StringComparer.Ordinal).Any();
    }

    private static async Task<(bool Injected, string Fault)> FillDestinationAsync(ScenarioContext context, Func<Task<RunResult>> collect)
    {
        var share = 0.15 + (context.Random.NextDouble() * 0.6);
        string fault;
        if (context.Tmpfs is { } tmpfs)
        {
            var room = (long)(share * context.ToFetch.Sum(m => (long)m.Size));
            await tmpfs.ResizeAsync(tmpfs.Used + room).ConfigureAwait(false);
            fault = string.Create(CultureInfo.InvariantCulture, $"Maildir on a tmpfs with room for {share:P0} of the new mail ({room} bytes)");
        }
        else
        {
            var capacity = (int)Math.Floor(share * context.ToFetch.Count);
            context.FullLmtp!.FillAfter(capacity);
            fault = string.Create(CultureInfo.InvariantCulture, $"LMTP answering 452 4.2.2 after {capacity} of {context.ToFetch.Count} message(s)");
        }

        var result = await collect().ConfigureAwait(false);
        context.Note($"faulted session: {result}");
        if (!result.Finished)
        {
            context.Hung++;
        }

        var injected = context.FullLmtp is { } lmtp ? lmtp.Refused > 0 : !result.Succeeded;
        context.CheckPoint();
        if (context.Tmpfs is { } grown)
        {
            await grown.ResizeAsync(64L * 1024 * 1024).ConfigureAwait(false);
        }

        context.FullLmtp?.Grow();
        return (injected, injected ? fault : fault + " (not reached: everything fitted)");
    }
}
