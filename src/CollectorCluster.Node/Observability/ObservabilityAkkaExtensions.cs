using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollectorCluster.Node.Observability;

/// <summary>The node's observation feature for the actor system's composition (<c>RunCommand.Node</c>, <c>OnceCommand.Node</c>).</summary>
public static class ObservabilityAkkaExtensions
{
    /// <summary>The category of the JSON log's per-session entries.</summary>
    public const string SessionCategory = "CollectorCluster.Session";

    /// <summary>
    /// The collection metrics and the listener (registered as <see cref="ObservationListener"/>) that records the accounts'
    /// published sessions and journal writes; with JSON logs, one structured entry per session too.
    /// </summary>
    public static AkkaConfigurationBuilder WithObservation(this AkkaConfigurationBuilder builder, LogFormat format) =>
        builder.WithActors((system, registry, resolver) =>
        {
            var metrics = new CollectorMetrics();
            system.RegisterOnTermination(metrics.Dispose);
            var sessionLog = format == LogFormat.Json ? resolver.GetService<ILoggerFactory>().CreateLogger(SessionCategory) : null;
            registry.Register<ObservationListener>(system.ActorOf(ObservationListener.Props(metrics, sessionLog), "observation"));
        });
}
