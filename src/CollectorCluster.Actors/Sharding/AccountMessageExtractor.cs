using System.Globalization;
using Akka.Cluster.Sharding;
using Akka.Util;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Sleep;

namespace CollectorCluster.Actors.Sharding;

/// <summary>
/// Routes <see cref="IAccountCommand"/>s to shards by account id. The shard count is fixed for the life of a
/// cluster (changing it moves every account): see <c>collector.shards</c>. Each shard also holds one alarm entity
/// (<see cref="AccountAlarm"/>, for sleeping accounts): <see cref="IAlarmCommand"/>s go to the alarm of their account's shard.
/// </summary>
public sealed class AccountMessageExtractor : HashCodeMessageExtractor
{
    /// <summary>The prefix of alarm entity ids; account ids never start with it (they are letters, digits, '.', '_', '-').</summary>
    public const string AlarmPrefix = "~alarm-";

    private readonly string[] _alarmIds;

    /// <summary>Creates an extractor for the given (never changing) shard count.</summary>
    public AccountMessageExtractor(int shards)
        : base(shards)
    {
        _alarmIds = [.. Enumerable.Range(0, shards).Select(shard => FindAlarmId(shard, shards))];
    }

    /// <inheritdoc />
    public override string? EntityId(object message) => message switch
    {
        IAlarmCommand command => _alarmIds[ShardOf(command.AccountId)],
        ListSleepers list when int.TryParse(list.ShardId, NumberStyles.None, CultureInfo.InvariantCulture, out var shard) && shard < _alarmIds.Length => _alarmIds[shard],
        IAccountCommand command => command.AccountId,
        _ => null,
    };

    /// <summary>The shard an account lives in.</summary>
    public int ShardOf(string accountId) => Math.Abs(MurmurHash.StringHash(accountId)) % MaxNumberOfShards;

    /// <summary>The entity id of a shard's alarm.</summary>
    public string AlarmEntityId(int shard) => _alarmIds[shard];

    /// <summary>The shard of an alarm entity id, or null when <paramref name="entityId"/> is an account's.</summary>
    public static string? AlarmShard(string entityId)
    {
        if (!entityId.StartsWith(AlarmPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = entityId.AsSpan(AlarmPrefix.Length);
        var dash = rest.IndexOf('-');
        return dash > 0 ? rest[..dash].ToString() : null;
    }

    // An id the default hash itself places in the shard ("~alarm-7-k", the first k that lands there), so every path
    // sharding routes by (messages, remembered restarts' StartEntity) agrees on the alarm's shard without an override.
    private static string FindAlarmId(int shard, int shards)
    {
        for (var k = 0; ; k++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{AlarmPrefix}{shard}-{k}");
            if (Math.Abs(MurmurHash.StringHash(id)) % shards == shard)
            {
                return id;
            }
        }
    }
}
