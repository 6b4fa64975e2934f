using Akka.Configuration;
using Akka.Configuration.Hocon;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reads accounts strictly, by the rules of <see cref="AccountKeys"/>: unknown keys, missing keys and bad values are
/// errors naming the account, the key and the problem, found before anything connects. The node file's
/// <c>collector.accounts</c> and <c>collector add</c>'s options go through the same <see cref="AccountReader"/>.
/// </summary>
public static class AccountConfigParser
{
    /// <summary>Where errors about an operator's <c>collector add</c>/<c>edit</c> options say they are.</summary>
    private const string OptionsWhere = "options";

    /// <summary>Parses every account; throws one <see cref="ConfigurationException"/> listing all problems.</summary>
    /// <param name="accounts">The <c>collector.accounts</c> array (null when absent).</param>
    /// <param name="configDirectory">Base for relative password files and maildir paths.</param>
    /// <param name="environment">Reads environment variables (injected for tests).</param>
    public static IReadOnlyList<AccountSettings> Parse(HoconValue? accounts, string configDirectory, Func<string, string?> environment)
    {
        if (accounts is null || accounts.IsEmpty)
        {
            return [];
        }

        // Akka's parser keeps `[]` as an array plus a whitespace element, which IsArray() rejects: an empty list is fine.
        if (!accounts.IsArray() && accounts.Values.OfType<HoconArray>().Any() && accounts.GetArray().All(i => i.IsEmpty))
        {
            return [];
        }

        if (!accounts.IsArray())
        {
            throw new ConfigurationException("collector.accounts must be a list of account objects: accounts = [ { id = ..., ... } ]");
        }

        var errors = new List<string>();
        var result = new List<AccountSettings>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        // Akka's parser turns the blank inside `[ ]` into an empty element: not an account.
        foreach (var item in accounts.GetArray().Where(i => !i.IsEmpty))
        {
            var where = $"collector.accounts[{index}]";
            index++;
            if (!item.IsObject())
            {
                errors.Add($"{where}: expected an object {{ id = ..., pop3-server = ..., ... }}");
                continue;
            }

            var before = errors.Count;
            var reader = new AccountReader(item.GetObject().Items, where, errors);
            var id = reader.Id();
            var options = reader.Options();
            var (password, oauth2) = reader.Credentials(options, configDirectory, environment);
            var account = reader.Settings(id ?? "", options, password ?? Secret.None, oauth2, configDirectory);
            if (errors.Count != before)
            {
                continue;
            }

            if (!ids.Add(account.Id))
            {
                errors.Add($"{reader.Where}: id '{account.Id}' is used by another account; ids must be unique");
                continue;
            }

            result.Add(account);
        }

        ThrowIfAny(errors);
        return result;
    }

    /// <summary>
    /// <c>collector add</c>/<c>edit</c>'s <c>--KEY VALUE</c> options (password keys excluded), read by the same rules as
    /// the node file; an edit is <paramref name="partial"/> (required keys stay as they are). Later keys win.
    /// <c>commit-every.messages</c> and <c>commit-every.bytes</c> stand for the keys of the <c>commit-every</c> object.
    /// </summary>
    public static AccountOptions ReadOptions(string id, IEnumerable<(string Key, string Value)> options, bool partial)
    {
        var items = new Dictionary<string, HoconValue>(StringComparer.Ordinal) { ["id"] = Literal(id) };
        HoconObject? commitEvery = null;
        foreach (var (key, value) in options)
        {
            if (key is "multidrop" or "imported-uidls")
            {
                throw new ConfigurationException($"Invalid account configuration:{Environment.NewLine}  {OptionsWhere} (id = {id}): {key}: only in the accounts file (an account added at run time has one mailbox and nothing to take over)");
            }

            // commit-every is an object in the file; as options its two keys come one by one (the console's form, --commit-every.messages).
            if (key is AccountKeyText.CommitEveryMessages or AccountKeyText.CommitEveryBytes)
            {
                if (commitEvery is null)
                {
                    commitEvery = new HoconObject();
                    var nested = new HoconValue();
                    nested.AppendValue(commitEvery);
                    items["commit-every"] = nested;
                }

                commitEvery.GetOrCreateKey(key["commit-every.".Length..]).AppendValue(new HoconLiteral { Value = value });
                continue;
            }

            items[key] = Literal(value);
        }

        return Read(items, OptionsWhere, partial);
    }

    /// <summary>The keys of an account journaled as <c>RuntimeAccountAdded.v1</c> (a HOCON object), read once, while the registry recovers.</summary>
    public static AccountOptions ReadV1(string id, string hoconObject) =>
        Read(ConfigurationFactory.ParseString(hoconObject).Root.GetObject().Items, $"RuntimeAccountAdded.v1 '{id}'", partial: false);

    /// <summary>An account held as <see cref="AccountOptions"/> (added at run time) with its password, as applied.</summary>
    public static AccountSettings Resolve(string id, AccountOptions options, Secret password, string configDirectory)
    {
        var errors = new List<string>();
        if (options.Auth is AuthMethod.XOAuth2 or AuthMethod.OAuthBearer)
        {
            errors.Add($"{OptionsWhere} (id = {id}): auth: xoauth2 and oauthbearer need an oauth2 {{ ... }} section: such accounts go in the node file");
        }

        var settings = new AccountReader(new Dictionary<string, HoconValue>(), $"{OptionsWhere} (id = {id})", errors).Settings(id, options, password, null, configDirectory);
        ThrowIfAny(errors);
        return settings;
    }

    private static AccountOptions Read(IReadOnlyDictionary<string, HoconValue> items, string where, bool partial)
    {
        var errors = new List<string>();
        var reader = new AccountReader(items, where, errors);
        reader.Id();
        var read = reader.Options(partial);
        ThrowIfAny(errors);
        return read;
    }

    private static HoconValue Literal(string text)
    {
        var value = new HoconValue();
        value.AppendValue(new HoconLiteral { Value = text });
        return value;
    }

    private static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new ConfigurationException("Invalid account configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));
        }
    }
}
