using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.Tests.State;

/// <summary>An event type <see cref="Core.State.AccountState"/> does not know, to test that it refuses it.</summary>
internal sealed record UnknownEvent : IAccountEvent;
