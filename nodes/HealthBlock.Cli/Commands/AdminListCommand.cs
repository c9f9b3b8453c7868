using System.CommandLine;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock admin list [--role R]</c>: the identities registered on the ledger (read only: no admin key needed).</summary>
internal static class AdminListCommand
{
    private const int Page = 500;

    public static Command Create(CliContext context)
    {
        var role = new Option<string?>("--role") { Description = "Only this role: node, admin, doctor, patient, statistics or auditor" };
        var ledger = EndpointOptions.Ledger();
        var reader = ReaderKey.Options("any registered identity");
        var list = new Command("list", "List the registered identities (id, role, name, who registered it), in id order") { role, ledger, reader.Key, reader.PassphraseFile };
        list.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            Role? only = null;
            if (parse.GetValue(role) is { } name)
            {
                only = LedgerNames.TryParseRole(name, out var parsed) ? parsed : throw new CliException($"--role '{name}' is not node, admin, doctor, patient, statistics or auditor");
            }

            using var caller = reader.Open(context, parse);
            using var client = Connections.Ledger(parse.GetValue(ledger), caller);
            var count = 0;
            IdentityId? after = null;
            while (true)
            {
                var page = await client.GetIdentitiesAsync(only, after, Page, cancellationToken);
                foreach (var identity in page)
                {
                    await context.Out.WriteLineAsync($"{identity.Keys.Id}  {LedgerNames.RoleName(identity.Role),-7}  {identity.Name}  registered-by={identity.RegisteredBy?.ToString() ?? "genesis"}");
                }

                count += page.Count;
                if (page.Count < Page)
                {
                    break;
                }

                after = page[^1].Keys.Id;
            }

            await context.Out.WriteLineAsync($"{count} identities");
            return ExitCodes.Ok;
        }));
        return list;
    }
}
