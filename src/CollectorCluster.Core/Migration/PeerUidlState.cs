namespace CollectorCluster.Core.Migration;

/// <summary>Where a peer keeps the UIDLs it has seen for one mailbox, and how its entries are keyed.</summary>
/// <param name="Tool">Whose format the file is in.</param>
/// <param name="Path">The file (fetchmail's idfile, getmail's oldmail file, mpop's uidls_file).</param>
/// <param name="Server">The server as the peer names it in the file (fetchmail: the poll or via name; mpop: the host).</param>
/// <param name="User">The login as the peer names it in the file.</param>
public sealed record PeerUidlState(PeerTool Tool, string Path, string Server, string User);
