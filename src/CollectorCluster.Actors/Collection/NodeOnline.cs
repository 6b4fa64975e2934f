namespace CollectorCluster.Actors.Collection;

/// <summary>
/// The node-wide online condition (the seed's "Local Area Network" option): accounts with
/// <c>local-area-network = off</c> collect only while the node is online. Set by the operator (<c>node online|offline</c>)
/// or a probe. Waiters await a task that completes when the node goes online: no polling, no busy loop.
/// </summary>
public sealed class NodeOnline
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _online = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts online or offline.</summary>
    public NodeOnline(bool online)
    {
        if (online)
        {
            _online.SetResult();
        }
    }

    /// <summary>True while the node is online.</summary>
    public bool IsOnline
    {
        get
        {
            lock (_gate)
            {
                return _online.Task.IsCompleted;
            }
        }
    }

    /// <summary>When the condition last changed (null: never since start).</summary>
    public DateTimeOffset? ChangedAt { get; private set; }

    /// <summary>Sets the condition; going online releases every waiting account. Returns true when it changed.</summary>
    public bool Set(bool online, DateTimeOffset at)
    {
        lock (_gate)
        {
            if (online == _online.Task.IsCompleted)
            {
                return false;
            }

            if (online)
            {
                _online.SetResult();
            }
            else
            {
                _online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            ChangedAt = at;
            return true;
        }
    }

    /// <summary>Completes once the node is online (at once if it is).</summary>
    public Task WaitOnlineAsync(CancellationToken cancellationToken)
    {
        Task online;
        lock (_gate)
        {
            online = _online.Task;
        }

        return online.WaitAsync(cancellationToken);
    }
}
