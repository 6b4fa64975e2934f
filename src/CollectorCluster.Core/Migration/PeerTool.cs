namespace CollectorCluster.Core.Migration;

/// <summary>The collectors whose configurations <c>collector import</c> reads.</summary>
public enum PeerTool
{
    /// <summary>fetchmail's run-control file (<c>~/.fetchmailrc</c>), UIDLs in <c>~/.fetchids</c>.</summary>
    Fetchmail,

    /// <summary>getmail6's rc file (<c>~/.getmail/getmailrc</c>), UIDLs in <c>oldmail-server-port-user</c> files.</summary>
    Getmail,

    /// <summary>mpop's configuration (<c>~/.mpoprc</c>), UIDLs in its <c>uidls_file</c>.</summary>
    Mpop,
}
