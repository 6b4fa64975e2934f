using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>The alarm's table: one entry per account, taken in wake-time order, a later sleep replacing an earlier one.</summary>
public sealed class WakeTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_empty_table_has_nothing_due_and_no_earliest_time()
    {
        var table = new WakeTable();
        Assert.Equal(0, table.Count);
        Assert.Null(table.Earliest);
        Assert.Empty(table.TakeDue(T0.AddYears(10)));
        Assert.False(table.Remove("a"));
    }

    [Fact]
    public void Accounts_are_taken_in_wake_time_order_and_only_once_due()
    {
        var table = new WakeTable();
        table.Sleep("c", T0.AddMinutes(3));
        table.Sleep("a", T0.AddMinutes(1));
        table.Sleep("b", T0.AddMinutes(2));
        Assert.Equal(T0.AddMinutes(1), table.Earliest);
        Assert.Empty(table.TakeDue(T0.AddSeconds(59)));
        Assert.Equal(["a", "b"], table.TakeDue(T0.AddMinutes(2)).Select(e => e.AccountId));
        Assert.Equal(1, table.Count);
        Assert.False(table.Contains("a"));
        Assert.True(table.Contains("c"));
        Assert.Equal(T0.AddMinutes(3), table.Earliest);
    }

    [Fact]
    public void A_later_sleep_replaces_the_earlier_entry_of_the_same_account()
    {
        var table = new WakeTable();
        table.Sleep("a", T0.AddMinutes(1));
        table.Sleep("a", T0.AddMinutes(10));
        Assert.Equal(1, table.Count);
        Assert.Empty(table.TakeDue(T0.AddMinutes(5)));
        Assert.Equal([("a", T0.AddMinutes(10))], table.TakeDue(T0.AddMinutes(10)));
    }

    [Fact]
    public void Accounts_due_at_the_same_instant_are_all_kept_and_taken_by_id()
    {
        var table = new WakeTable();
        foreach (var id in new[] { "b", "c", "a" })
        {
            table.Sleep(id, T0);
        }

        Assert.Equal(3, table.Count);
        Assert.Equal(["a", "b", "c"], table.TakeDue(T0).Select(e => e.AccountId));
    }

    [Fact]
    public void An_awake_account_is_removed_and_never_taken()
    {
        var table = new WakeTable();
        table.Sleep("a", T0);
        table.Sleep("b", T0.AddSeconds(1));
        Assert.True(table.Remove("a"));
        Assert.False(table.Remove("a"));
        Assert.Equal(["b"], table.TakeDue(T0.AddHours(1)).Select(e => e.AccountId));
    }

    [Fact]
    public void Taking_can_be_bounded_and_the_rest_stays_for_the_next_take()
    {
        var table = new WakeTable();
        for (var i = 0; i < 10; i++)
        {
            table.Sleep($"a{i}", T0.AddSeconds(i));
        }

        Assert.Equal(4, table.TakeDue(T0.AddMinutes(1), max: 4).Count);
        Assert.Equal(6, table.Count);
        Assert.Equal(T0.AddSeconds(4), table.Earliest);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.TakeDue(T0, max: 0));
        Assert.Throws<ArgumentException>(() => table.Sleep("", T0));
    }

    [Fact]
    public void It_agrees_with_a_plain_dictionary_over_random_operations()
    {
        var random = new Random(7);
        var table = new WakeTable();
        var model = new Dictionary<string, DateTimeOffset>();
        var now = T0;
        for (var step = 0; step < 20_000; step++)
        {
            var id = $"a{random.Next(200)}";
            switch (random.Next(4))
            {
                case 0 or 1:
                    var at = now.AddSeconds(random.Next(-30, 600));
                    table.Sleep(id, at);
                    model[id] = at;
                    break;
                case 2:
                    Assert.Equal(model.Remove(id), table.Remove(id));
                    break;
                default:
                    now = now.AddSeconds(random.Next(0, 60));
                    var expected = model.Where(kv => kv.Value <= now).OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value)).ToList();
                    Assert.Equal(expected, table.TakeDue(now));
                    expected.ForEach(e => model.Remove(e.Key));
                    break;
            }

            Assert.Equal(model.Count, table.Count);
            Assert.Equal(model.Count == 0 ? null : model.Values.Min(), table.Earliest);
        }
    }
}
