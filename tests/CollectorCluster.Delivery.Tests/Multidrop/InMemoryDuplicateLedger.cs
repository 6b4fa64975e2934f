using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Delivery.Tests.Multidrop;

/// <summary>
/// The recipients' memory held in this process (the node keeps it in persistent actors): the same pure
/// <see cref="DuplicateWindow"/> per recipient, so the destination's use of it is what these tests exercise. Calls are
/// counted so a test can fail a chosen one (a crash between a copy's delivery and its confirmation).
/// </summary>
internal sealed class InMemoryDuplicateLedger(TimeProvider clock) : IDuplicateLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<string, DuplicateWindow> _windows = new(StringComparer.Ordinal);

    /// <summary>Confirmations to refuse (by recipient): the copy is delivered, the record of it is lost.</summary>
    public HashSet<string> LoseConfirmationOf { get; } = [];

    public int Confirmed { get; private set; }

    public Task<(ClaimAnswer Answer, string? DeliveredFrom)> ClaimAsync(string recipient, string key, string source, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var window = Window(recipient);
            var answer = window.Decide(key, source, clock.GetUtcNow(), DuplicateWindow.DefaultClaimTimeout);
            if (answer == ClaimAnswer.Wait)
            {
                throw new InvalidOperationException("two sources at once: not exercised by these tests");
            }

            if (answer == ClaimAnswer.Granted)
            {
                _windows[recipient] = window.Claim(key, source, clock.GetUtcNow());
            }

            return Task.FromResult((answer, answer == ClaimAnswer.Duplicate ? window.Delivered[key].Source : null));
        }
    }

    public Task ConfirmAsync(string recipient, string key, string source, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (LoseConfirmationOf.Remove(recipient))
            {
                throw new IOException($"journal of {recipient} unavailable");
            }

            _windows[recipient] = Window(recipient).Apply(new CopyDelivered(key, source, at, at + window));
            Confirmed++;
            return Task.CompletedTask;
        }
    }

    public Task ReleaseAsync(string recipient, string key, string source, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _windows[recipient] = Window(recipient).Release(key, source);
            return Task.CompletedTask;
        }
    }

    private DuplicateWindow Window(string recipient) => _windows.GetValueOrDefault(recipient) ?? DuplicateWindow.Empty;
}
