namespace CollectorCluster.Testing;

/// <summary>
/// A POP3 account on the private Dovecot, so a test class can own a mailbox nobody else touches.
/// </summary>
/// <param name="Name">The login name.</param>
/// <param name="Password">The plain-text password.</param>
public sealed record TestMailUser(string Name, string Password);
