using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.Serialization;

namespace CollectorCluster.Actors.Persistence;

/// <summary>
/// Bound to <see cref="object"/> in place of Akka's default (Newtonsoft JSON with CLR type names): whatever would have
/// crossed a node without an explicit binding still goes through that default, but is logged, once per type, as an
/// error naming the type, so a message someone forgets to bind is seen in the first cluster run (the cluster tests fail
/// on the line) instead of silently travelling with type names. Our own messages are bound to
/// <see cref="ClusterMessageSerializer"/> and the journal's to <see cref="AccountEventSerializer"/>.
/// </summary>
public sealed class UnboundMessageGuard : Serializer
{
    /// <summary>Our serializer id (Akka reserves 0–40; the journal's is 4711, the cluster messages' 4712).</summary>
    public const int SerializerId = 4713;

    /// <summary>What the log line starts with (the cluster tests look for it).</summary>
    public const string LogPrefix = "Crossed nodes without an explicit serializer binding";

    private readonly NewtonSoftJsonSerializer _default;
    private readonly Lazy<ILoggingAdapter> _log; // the system is not ready for loggers while it creates its serializers
    private readonly ConcurrentDictionary<Type, byte> _reported = new();

    /// <summary>Created by Akka from configuration.</summary>
    public UnboundMessageGuard(ExtendedActorSystem system)
        : base(system)
    {
        _default = new NewtonSoftJsonSerializer(system);
        _log = new Lazy<ILoggingAdapter>(() => Logging.GetLogger(system, typeof(UnboundMessageGuard)));
    }

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override bool IncludeManifest => _default.IncludeManifest;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (_reported.TryAdd(obj.GetType(), 0))
        {
            _log.Value.Error("{0}: {1} (Akka's default JSON serializer, with CLR type names); bind it to an explicit, versioned serializer", LogPrefix, obj.GetType().FullName);
        }

        return _default.ToBinary(obj);
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, Type type) => _default.FromBinary(bytes, type);
}
