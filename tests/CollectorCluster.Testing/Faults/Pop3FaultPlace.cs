namespace CollectorCluster.Testing.Faults;

/// <summary>Where, relative to a POP3 reply, a <see cref="Pop3FaultProxy"/> strikes.</summary>
public enum Pop3FaultPlace
{
    /// <summary>Right after the client has the whole reply (e.g. after the greeting, after a DELE's +OK).</summary>
    AfterReply,

    /// <summary>Inside the reply: the client has some of it and never gets the rest (mid-CAPA, mid-UIDL, inside a RETR body).</summary>
    WithinReply,

    /// <summary>Before the reply's first byte: the server has acted on the command, the client never hears (QUIT's +OK).</summary>
    BeforeReply,

    /// <summary>Before the byte at an offset of the server's whole stream on the connection (a random moment).</summary>
    AtStreamOffset,
}
