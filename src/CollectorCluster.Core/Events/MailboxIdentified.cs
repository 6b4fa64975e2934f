namespace CollectorCluster.Core.Events;

/// <summary>
/// The remote mailbox (server and user) the account's collected state belongs to. Recorded when an account is first
/// configured, when a journal written before identities existed is read with the same address again (its Maildir
/// names keep the account-only form, so nothing is collected twice after an upgrade), and when the address changes:
/// then the account's collected state is reset, since a UIDL of the old mailbox says nothing about the new one.
/// </summary>
/// <param name="Server">The POP3 server, lower case.</param>
/// <param name="User">The login name.</param>
/// <param name="NamesIncludeMailbox">
/// Destination names derive from account + server + user + UIDL (true), or from account + UIDL as before identities
/// existed (false, kept for an unchanged address so existing Maildir files stay recognised).
/// </param>
/// <param name="Reset">The address changed: collected messages, marks, absences, pending deletions and the server's policy were forgotten.</param>
/// <param name="Forgotten">How many collected messages the reset forgot (0 without a reset).</param>
/// <param name="At">When.</param>
public sealed record MailboxIdentified(string Server, string User, bool NamesIncludeMailbox, bool Reset, int Forgotten, DateTimeOffset At) : IAccountEvent;
