using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Delivery;

namespace CollectorCluster.Delivery.Tests.Multidrop;

/// <summary>Messages as a domain mailbox holds them: one copy per envelope recipient (Delivered-To), or none.</summary>
internal static class DomainMail
{
    /// <summary>The scope of an account collecting the domain mailbox <c>box</c> at <c>pop.isp.example</c>.</summary>
    public static MailboxScope Scope(string accountId) => new(accountId, new MailboxIdentity("pop.isp.example", "box"));

    /// <summary>
    /// A message To ann, Cc bob and zed, Bcc carl (the Bcc is not in the header), as the ISP stores the copy for
    /// <paramref name="envelope"/> (null: a copy without an envelope header).
    /// </summary>
    public static byte[] Copy(string? envelope, string messageId = "m1@sender.example", string body = "Hello team.\r\n")
    {
        var text = new StringBuilder();
        text.Append("Return-Path: <sender@sender.example>\r\n");
        if (envelope is not null)
        {
            text.Append("Delivered-To: box@isp.example\r\n");
            text.Append($"Delivered-To: {envelope}\r\n");
        }

        text.Append("Received: from mx.sender.example by mx.isp.example; Sat, 28 Nov 2026 12:00:00 +0000\r\n")
            .Append("From: Sender <sender@sender.example>\r\n")
            .Append("To: Ann <ann@example.com>\r\n")
            .Append("Cc: bob@example.com,\r\n zed@example.com\r\n")
            .Append("Subject: the plan\r\n")
            .Append($"Message-ID: <{messageId}>\r\n")
            .Append("\r\n")
            .Append(body);
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
