using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Node.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectorCluster.Node.Commands;

/// <summary>
/// <c>collector once --config FILE</c>: collect every enabled account once, print a line each and a total. Accounts
/// are hosted locally (no cluster to form); journals are the same as the daemon's. SIGINT (Ctrl+C) and SIGTERM stop
/// every session after the message in flight (giving up one that does not finish within the stop grace), record what
/// was delivered, print the lines, the total and an <c>interrupted:</c> line, then stop the node.
/// </summary>
/// <remarks>
/// Exit codes: <see cref="ExitOk"/> when every account succeeded or was only deferred by the server's LOGIN-DELAY;
/// <see cref="ExitFailed"/> when one failed; 128 + the signal (<see cref="ExitInterruptedBySigint"/>,
/// <see cref="ExitInterruptedBySigterm"/>, the shell's convention) when a signal interrupted the run. 2 (usage or
/// configuration) is the caller's.
/// </remarks>
public static class OnceCommand
{
    /// <summary>Every account succeeded, or was deferred by LOGIN-DELAY.</summary>
    public const int ExitOk = 0;

    /// <summary>At least one account failed.</summary>
    public const int ExitFailed = 1;

    /// <summary>Interrupted by SIGINT (Ctrl+C), after committing and printing the summary.</summary>
    public const int ExitInterruptedBySigint = 130;

    /// <summary>Interrupted by SIGTERM, after committing and printing the summary.</summary>
    public const int ExitInterruptedBySigterm = 143;

    /// <summary>
    /// How long after the stop grace an interrupted run still waits for an account's answer (its last batch being
    /// recorded) before reporting it as unanswered: an account that can no longer answer never holds the process.
    /// </summary>
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A one-shot run's node: the daemon's features without remoting, the cluster and the registry; accounts hosted
    /// locally. The actor system does not stop itself on a signal (Akka's CLR exit hook is off): the run stops the
    /// sessions first, so they can commit, and stops the node after printing.
    /// </summary>
    public static AkkaConfigurationBuilder Node(AkkaConfigurationBuilder akka, CollectorOptions options, CollectionEnvironment env) => akka
        .WithNodeFile(options)
        .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend)
        .WithCollectorSerialization()
        .WithCollectorPersistence(options.Journal)
        .WithConnectionTokens(options.Tokens, env)
        .WithLocalRecipients(env)
        .WithLocalAccounts(env)
        .WithObservation(options.LogFormat);

    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(CollectorOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        await using var node = await CollectorNode.StartAsync(options, Node, cancellationToken).ConfigureAwait(false);
        var region = node.Accounts;
        var interruption = new Interruption(() => region.Tell(StopAccount.Instance));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => interruption.Signalled(c, ExitInterruptedBySigint));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => interruption.Signalled(c, ExitInterruptedBySigterm));
        using var onStop = node.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => interruption.Stop(ExitFailed));

        var accounts = options.Accounts.Where(a => a.Enabled).ToList();
        var asks = accounts.Select(account => CollectAsync(region, account, node.Environment.Tuning.StopGrace + AnswerMargin, cancellationToken)).ToList();

        await Task.WhenAny(Task.WhenAll(asks), interruption.AnswerDeadline(node.Environment.Tuning.StopGrace + AnswerMargin)).ConfigureAwait(false);

        var results = accounts.Zip(asks, (account, ask) => ask.IsCompletedSuccessfully
            ? ask.Result
            : new CollectionResult(account.Id, account.Address, false, 0, 0, 0, 0, TimeSpan.Zero, ask.IsCompleted
                ? $"not collected: {ask.Exception?.GetBaseException().Message}"
                : "no answer before the node stopped; what the account recorded stays recorded")
            {
                Interrupted = interruption.Code is not null,
            }).ToList();
        foreach (var result in results)
        {
            await output.WriteLineAsync(SummaryLine.Format(result)).ConfigureAwait(false);
        }

        await output.WriteLineAsync(SummaryLine.Total(results)).ConfigureAwait(false);
        if (interruption.Code is { } code)
        {
            await output.WriteLineAsync("interrupted: sessions stopped after the message in flight and recorded what they delivered; run again to collect the rest").ConfigureAwait(false);
            return code;
        }

        return results.Any(r => SummaryLine.Status(r) == SummaryLine.Failed) ? ExitFailed : ExitOk;
    }

    /// <summary>
    /// Configures one account and collects it once. The account's actor is watched: one that stops (its journal failed)
    /// answers through its session's end when it can, and is reported as failed <paramref name="margin"/> after it
    /// stopped when it cannot (it failed before the session started), never waited for forever.
    /// </summary>
    private static async Task<CollectionResult> CollectAsync(IActorRef region, AccountSettings account, TimeSpan margin, CancellationToken cancellationToken)
    {
        var actor = await region.Ask<IActorRef>(new LocateAccount(account.Id), cancellationToken).ConfigureAwait(false);
        if (actor.IsNobody())
        {
            return new CollectionResult(account.Id, account.Address, false, 0, 0, 0, 0, TimeSpan.Zero, "node stopping: not collected");
        }

        var stopped = actor.WatchAsync(cancellationToken);
        var answer = ConfigureAndCollectAsync();
        if (await Task.WhenAny(answer, stopped).ConfigureAwait(false) != answer
            && await Task.WhenAny(answer, Task.Delay(margin, cancellationToken)).ConfigureAwait(false) != answer)
        {
            return new CollectionResult(account.Id, account.Address, false, 0, 0, 0, 0, TimeSpan.Zero, "the account stopped without answering (its journal failed? the log says why); what it recorded stays recorded");
        }

        return await answer.ConfigureAwait(false);

        async Task<CollectionResult> ConfigureAndCollectAsync()
        {
            await actor.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), cancellationToken).ConfigureAwait(false);
            return await actor.Ask<CollectionResult>(new CollectNow(account.Id), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first stop request of a run (a signal or the host asked to stop): tells the accounts once, keeps its exit code.</summary>
    private sealed class Interruption(Action stopAccounts)
    {
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _code;

        /// <summary>The exit code of the interruption, or null when none came.</summary>
        public int? Code => Volatile.Read(ref _code) is var c and not 0 ? c : null;

        public void Signalled(PosixSignalContext context, int code)
        {
            context.Cancel = true; // the run ends by itself, once the sessions recorded what they delivered
            Volatile.Write(ref _code, code); // a signal's code wins over the host's own stop request
            Stop();
        }

        public void Stop(int code)
        {
            Interlocked.CompareExchange(ref _code, code, 0);
            Stop();
        }

        /// <summary>Completes <paramref name="margin"/> after the first stop request; never without one.</summary>
        public async Task AnswerDeadline(TimeSpan margin)
        {
            await _stopped.Task.ConfigureAwait(false);
            await Task.Delay(margin).ConfigureAwait(false);
        }

        private void Stop()
        {
            if (_stopped.TrySetResult())
            {
                stopAccounts();
            }
        }
    }
}
