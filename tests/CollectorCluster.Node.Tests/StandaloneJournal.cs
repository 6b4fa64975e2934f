using Akka.Actor;
using Akka.Configuration;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A node's real SQLite journal in a temporary state directory, and local actor systems on it (one at a time, so a
/// restart recovers what the last one wrote). Every message is serialized, as it would be between nodes.
/// </summary>
internal sealed class StandaloneJournal : IDisposable
{
    private readonly string _root;

    public StandaloneJournal(string prefix)
    {
        _root = Directory.CreateTempSubdirectory(prefix).FullName;
        var file = Path.Combine(_root, "node.hocon");
        File.WriteAllText(file, $"collector.state-directory = \"{Path.Combine(_root, "state")}\"\n");
        Options = CollectorConfigLoader.Load(file);
        Directory.CreateDirectory(Path.Combine(_root, "state"));
    }

    public CollectorOptions Options { get; }

    public ActorSystem Start(string name) =>
        ActorSystem.Create(name, CollectorAkkaExtensions.StandaloneSetup(Options, ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING\nakka.actor.serialize-messages = on")));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
