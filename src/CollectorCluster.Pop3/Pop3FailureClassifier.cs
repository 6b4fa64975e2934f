using CollectorCluster.Core.Policy;

namespace CollectorCluster.Pop3;

/// <summary>
/// Maps a <see cref="Pop3Exception"/> onto the <see cref="FailureCause"/> the server policy decides on. The
/// response code wins over the kind: "-ERR [IN-USE]" to PASS is not a wrong password (RFC 2449 8, RFC 3206).
/// </summary>
public static class Pop3FailureClassifier
{
    /// <summary>The cause of a POP3 failure.</summary>
    public static FailureCause Classify(Pop3Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.Overrun is not null)
        {
            return FailureCause.MessageOverrun; // the same message stops every session until an operator decides
        }

        var code = exception.ResponseCode;
        if (code is not null)
        {
            if (code.Equals("IN-USE", StringComparison.OrdinalIgnoreCase))
            {
                return FailureCause.InUse;
            }

            if (code.Equals("LOGIN-DELAY", StringComparison.OrdinalIgnoreCase))
            {
                return FailureCause.LoginDelay;
            }

            if (code.StartsWith("SYS/TEMP", StringComparison.OrdinalIgnoreCase))
            {
                return FailureCause.SysTemp;
            }

            if (code.StartsWith("SYS/PERM", StringComparison.OrdinalIgnoreCase))
            {
                return FailureCause.SysPerm;
            }

            if (code.Equals("AUTH", StringComparison.OrdinalIgnoreCase))
            {
                return FailureCause.Authentication;
            }
        }

        return exception.Kind switch
        {
            // Reached, then lost: "could not be reached" would send the operator looking at the wrong thing.
            Pop3ErrorKind.Network when exception.Stage != Pop3Stage.Connect => FailureCause.ConnectionLost,
            Pop3ErrorKind.Network => FailureCause.Network,
            Pop3ErrorKind.Deadline => FailureCause.SessionDeadline,
            Pop3ErrorKind.Timeout => FailureCause.Timeout,
            Pop3ErrorKind.Certificate => FailureCause.Certificate,
            Pop3ErrorKind.TlsUnavailable => FailureCause.TlsUnavailable,
            Pop3ErrorKind.Authentication => FailureCause.Authentication,
            _ => FailureCause.Other,
        };
    }
}
