using System.CommandLine;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock admin register|issue|list</c>: what the consortium admin does on the ledger.</summary>
internal static class AdminCommand
{
    private static readonly Role[] RegistrableRoles = [Role.Doctor, Role.Patient, Role.Admin, Role.Statistics, Role.Auditor];

    public static Command Create(CliContext context)
    {
        var admin = new Command("admin", "Consortium admin: register identities from their exports, issue Healthcoin, list identities");
        admin.Subcommands.Add(Register(context));
        admin.Subcommands.Add(Issue(context));
        admin.Subcommands.Add(AdminListCommand.Create(context));
        return admin;
    }

    private static Command Register(CliContext context)
    {
        var identity = new Option<FileInfo>("--identity") { Description = "The identity's export (healthblock identity export)", Required = true };
        var role = new Option<string?>("--role") { Description = "doctor, patient, admin, statistics or auditor (default: the role the export asks for)" };
        var name = new Option<string?>("--name") { Description = "Register under this name (default: the export's)" };
        var (ledger, key, passphraseFile) = AdminOptions();
        var register = new Command("register", "Register an identity with a role, from its signed export") { identity, role, name, ledger, key, passphraseFile };
        register.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var file = parse.GetValue(identity)!;
            var exported = file.Exists ? ExportedIdentity.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken)) : throw new CliException($"no identity export at '{file.FullName}'");
            var roleName = parse.GetValue(role) ?? exported.Role;
            if (!LedgerNames.TryParseRole(roleName, out var parsed) || !RegistrableRoles.Contains(parsed))
            {
                throw new CliException($"--role '{roleName}': an admin registers doctor, patient, admin, statistics or auditor identities (accounting nodes are fixed by the genesis)");
            }

            var payload = RegisterPayload.For(exported.Identity, parsed, parse.GetValue(name) ?? exported.Name);
            var location = await SubmitAsAdminAsync(context, parse, ledger, key, passphraseFile, payload, cancellationToken);
            await context.Out.WriteLineAsync($"registered {exported.Identity.Id} as {LedgerNames.RoleName(parsed)} '{payload.Name}' at {location}");
            return ExitCodes.Ok;
        }));
        return register;
    }

    private static Command Issue(CliContext context)
    {
        var id = new Argument<string>("ID") { Description = "The receiving identity (a registered patient)" };
        var amount = new Argument<ulong>("AMOUNT") { Description = "Healthcoin to create" };
        var (ledger, key, passphraseFile) = AdminOptions();
        var issue = new Command("issue", "Issue Healthcoin to a registered patient") { id, amount, ledger, key, passphraseFile };
        issue.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            if (!IdentityId.TryParse(parse.GetValue(id), out var to))
            {
                throw new CliException($"'{parse.GetValue(id)}' is not an identity id");
            }

            if (parse.GetValue(amount) == 0)
            {
                throw new CliException("AMOUNT must be above 0");
            }

            var location = await SubmitAsAdminAsync(context, parse, ledger, key, passphraseFile, new IssuePayload(to, parse.GetValue(amount)), cancellationToken);
            await context.Out.WriteLineAsync($"issued {parse.GetValue(amount)} Healthcoin to {to} at {location}");
            return ExitCodes.Ok;
        }));
        return issue;
    }

    internal static (Option<string[]> Ledger, Option<FileInfo> Key, Option<FileInfo?> PassphraseFile) AdminOptions() => (
        EndpointOptions.Ledger(),
        new Option<FileInfo>("--key") { Description = "The admin's key file", Required = true },
        new Option<FileInfo?>("--passphrase-file") { Description = $"Read the admin key's passphrase from this file (else ${Passphrases.AdminVariable}, else a prompt)" });

    internal static async Task<TxLocation> SubmitAsAdminAsync(CliContext context, ParseResult parse, Option<string[]> ledger, Option<FileInfo> key, Option<FileInfo?> passphraseFile, TransactionPayload payload, CancellationToken cancellationToken)
    {
        var keyFile = parse.GetValue(key)!;
        if (!keyFile.Exists)
        {
            throw new CliException($"no admin key file at '{keyFile.FullName}'");
        }

        var passphrase = Passphrases.Read(context, parse.GetValue(passphraseFile)?.FullName, confirm: false, Passphrases.AdminVariable, "admin passphrase");
        using var admin = KeyFile.Read(keyFile.FullName, passphrase);
        using var client = Connections.Ledger(parse.GetValue(ledger), admin);
        var network = (await client.GetGenesisAsync(cancellationToken)).NetworkId;
        var submitter = new LedgerSubmitter(admin, network, new MemoryNonceCounter(), client);
        await submitter.SyncNonceAsync(cancellationToken);
        var (_, location) = await submitter.SubmitAndWaitAsync(payload, cancellationToken);
        return location;
    }
}
