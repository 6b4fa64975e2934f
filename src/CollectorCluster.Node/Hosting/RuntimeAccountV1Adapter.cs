using Akka.Persistence.Journal;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Core.Events;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// The journal's read adapter for <c>RuntimeAccountAdded.v1</c>: a runtime account journaled with its settings as
/// HOCON text is read into typed <see cref="Core.Accounts.AccountOptions"/> once, as the registry recovers, so the
/// registry and everything after it see only <see cref="RuntimeAccountAdded"/>. The next edit journals it as v2.
/// </summary>
public sealed class RuntimeAccountV1Adapter : IReadEventAdapter
{
    /// <inheritdoc />
    public IEventSequence FromJournal(object evt, string manifest) =>
        EventSequence.Single(evt is RuntimeAccountAddedV1 v1 ? Upcast(v1) : evt);

    /// <summary>The v2 event a v1 entry stands for.</summary>
    public static RuntimeAccountAdded Upcast(RuntimeAccountAddedV1 v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        return new RuntimeAccountAdded(v1.Id, AccountConfigParser.ReadV1(v1.Id, v1.Settings), v1.Password, v1.At);
    }
}
