using System.Text.RegularExpressions;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The Add / Properties form: every key of the accounts file an account added at run time may set
/// (<see cref="AccountKeyText.Keys"/>, so a key added to the table appears here by itself), labelled with the seed's
/// Account Details names where it has one, the password write-only. What it submits becomes <c>collector add</c> /
/// <c>collector edit</c> options, read by the same parser as the file: the form never validates on its own.
/// </summary>
public static partial class AccountForm
{
    /// <summary>The password field (write-only: never filled in, blank keeps the password).</summary>
    public const string PasswordField = "password";

    /// <summary>The keys of the seed's Account Details tab, in its order; the rest are "More options".</summary>
    public static readonly string[] AccountDetails =
        ["pop3-server", "port", "pop3-account", "ssl", "leave-mail-on-server", "delete-after-days", "mirror-mailbox", "local-area-network", "download-smallest-first", "check-every", "mailbox"];

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["id"] = "Account id",
        ["pop3-server"] = "POP3 Server",
        ["port"] = "Port",
        ["pop3-account"] = "POP3 Account",
        ["ssl"] = "SSL Collection",
        ["leave-mail-on-server"] = "Leave Mail on Server",
        ["delete-after-days"] = "Automatically delete after (days)",
        ["mirror-mailbox"] = "Mirror Mailbox",
        ["local-area-network"] = "Local Area Network",
        ["download-smallest-first"] = "Download Smallest First",
        ["check-every"] = "Check mailbox every",
        ["mailbox"] = "Deliver to (mailbox)",
        ["commit-every.messages"] = "Commit every (messages)",
        ["commit-every.bytes"] = "Commit every (bytes)",
    };

    /// <summary>What the Add form starts with: the table's defaults as the reader applies them, the required keys empty.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = ReadDefaults();

    /// <summary>Renders the form's fields (inside a form the caller opens); <paramref name="editable"/> false shows them read-only.</summary>
    public static void Fields(Html html, IReadOnlyDictionary<string, string> values, bool adding, bool editable)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(values);
        html.Raw("<fieldset><legend>Account Details</legend>");
        if (adding)
        {
            Field(html, "id", values, editable, required: true);
        }

        foreach (var key in AccountDetails)
        {
            Field(html, key, values, editable, required: Required(key));
            if (key == "pop3-account")
            {
                Password(html, adding, editable);
            }
        }

        html.Raw("</fieldset><fieldset><legend>More options</legend>");
        foreach (var key in AccountKeyText.Keys.Where(k => k != "id" && !AccountDetails.Contains(k)))
        {
            Field(html, key, values, editable, required: false);
        }

        html.Raw("</fieldset>");
    }

    /// <summary>
    /// The <c>--KEY VALUE</c> options of a submitted form: each key whose value differs from <paramref name="before"/>
    /// (the defaults when adding, the current settings when editing) and is not empty.
    /// </summary>
    public static List<string> Options(IReadOnlyDictionary<string, string> submitted, IReadOnlyDictionary<string, string> before)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(before);
        var options = new List<string>();
        foreach (var key in AccountKeyText.Keys.Where(k => k != "id"))
        {
            var value = submitted.GetValueOrDefault(key, "").Trim();
            if (value.Length > 0 && value != before.GetValueOrDefault(key, ""))
            {
                options.Add("--" + key);
                options.Add(value);
            }
        }

        return options;
    }

    private static void Field(Html html, string key, IReadOnlyDictionary<string, string> values, bool editable, bool required)
    {
        var id = "f-" + key.Replace('.', '-');
        var value = values.GetValueOrDefault(key, "");
        html.Raw("<div class=\"field\">").Open("label", ("for", id)).Text(Labels.GetValueOrDefault(key, key)).Raw(required ? " <span class=\"req\">(required)</span>" : "").Raw("</label>");
        if (AccountKeyText.Choices(key) is { } choices)
        {
            html.Open("select", ("id", id), ("name", key), ("aria-describedby", "h-" + id), ("disabled", editable ? null : "disabled"));
            foreach (var choice in choices)
            {
                html.Open("option", ("value", choice), ("selected", choice == value ? "selected" : null)).Text(choice).Raw("</option>");
            }

            html.Raw("</select>");
        }
        else
        {
            html.Open("input", ("type", "text"), ("id", id), ("name", key), ("value", value), ("aria-describedby", "h-" + id),
                ("required", required && editable ? "required" : null), ("readonly", editable ? null : "readonly"), ("autocomplete", "off"), ("spellcheck", "false"));
        }

        html.Open("small", ("id", "h-" + id)).Text($"{key}: {Meaning(key)}").Raw("</small></div>");
    }

    private static void Password(Html html, bool adding, bool editable)
    {
        html.Raw("<div class=\"field\"><label for=\"f-password\">Password").Raw(adding ? " <span class=\"req\">(required)</span>" : "").Raw("</label>")
            .Open("input", ("type", "password"), ("id", "f-password"), ("name", PasswordField), ("value", ""), ("autocomplete", "new-password"),
                ("aria-describedby", "h-f-password"), ("required", adding ? "required" : null), ("disabled", editable ? null : "disabled"))
            .Open("small", ("id", "h-f-password"))
            .Text(adding ? "Sealed with the node key; never shown again." : "Write-only: leave empty to keep the current password.")
            .Raw("</small></div>");
    }

    private static bool Required(string key) => AccountKeys.All.FirstOrDefault(k => k.Name == key)?.Required == true;

    private static string Meaning(string key)
    {
        var name = key.StartsWith("commit-every.", StringComparison.Ordinal) ? "commit-every" : key;
        var meaning = AccountKeys.All.FirstOrDefault(k => k.Name == name)?.Meaning ?? "";
        return Markup().Replace(meaning, "").Replace("\\|", "|", StringComparison.Ordinal);
    }

    private static IReadOnlyDictionary<string, string> ReadDefaults()
    {
        var settings = AccountConfigParser.Resolve("new", AccountKeys.Defaults with { Pop3Server = "-", Pop3Account = "-", Mailbox = "maildir:/-" }, Secret.None, "/");
        var texts = new Dictionary<string, string>(AccountKeyText.Of(settings), StringComparer.Ordinal)
        {
            ["id"] = "",
            ["pop3-server"] = "",
            ["pop3-account"] = "",
            ["mailbox"] = "",
        };
        return texts;
    }

    // The README's markdown in the meanings (backticks) is not for the form.
    [GeneratedRegex("`")]
    private static partial Regex Markup();
}
