using Akka.Event;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// Akka's minimal logger (<c>akka.stdout-logger-class</c>), writing to standard error. Akka uses it before the node's
/// loggers start and, by design, again once they are stopped while the actor system terminates: a warning published
/// in that last phase (a journal or shutdown-phase warning) went to standard output through the default
/// <c>StandardOutLogger</c>, in the middle of what <c>collector once</c> prints there (seen in 4 of about 90 runs).
/// Standard output is the summary's only.
/// </summary>
public sealed class StandardErrorLogger : MinimalLogger
{
    /// <summary>The HOCON that installs it.</summary>
    public static string Hocon => $"akka.stdout-logger-class = \"{typeof(StandardErrorLogger).FullName}, {typeof(StandardErrorLogger).Assembly.GetName().Name}\"";

    /// <inheritdoc />
    protected override void Log(object message)
    {
        if (message is LogEvent logEvent)
        {
            Console.Error.WriteLine(logEvent.ToString());
        }
    }
}
