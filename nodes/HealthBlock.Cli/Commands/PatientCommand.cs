using System.CommandLine;
using System.Globalization;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Keys;
using HealthBlock.Ledger;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock patient grant|revoke|pay|status</c>: the patient's key management, against the gateway's data folder.</summary>
internal static class PatientCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The gateway's data folder", Required = true };
        var ledger = new Option<string>("--ledger") { Description = "URL of an accounting node", Required = true };
        var key = new Option<string?>("--key") { Description = $"Patient key file (default DATA/{PatientIdentity.DefaultFileName})" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE)" };
        var doctorArg = new Argument<string>("doctor") { Description = "The doctor's identity id" };

        var grant = new Command("grant", "Authorise a doctor: a key transaction with envelopes for every authorised doctor") { doctorArg, data, ledger, key, passphraseFile };
        grant.SetAction((parse, ct) => WithKeys(context, parse, data, ledger, key, passphraseFile, async (keys, _, _) =>
        {
            var epoch = await keys.GrantAsync(ParseDoctor(parse.GetValue(doctorArg)!), ct);
            await context.Out.WriteLineAsync($"granted; key epoch {epoch.Epoch}");
        }));

        var revoke = new Command("revoke", "Revoke a doctor: a new IoT key, envelopes only for the doctors who remain") { doctorArg, data, ledger, key, passphraseFile };
        revoke.SetAction((parse, ct) => WithKeys(context, parse, data, ledger, key, passphraseFile, async (keys, _, _) =>
        {
            var epoch = await keys.RevokeAsync(ParseDoctor(parse.GetValue(doctorArg)!), ct);
            await context.Out.WriteLineAsync($"revoked; new IoT key, epoch {epoch.Epoch}");
        }));

        var amount = new Argument<ulong>("amount") { Description = "Healthcoin to pay" };
        var pay = new Command("pay", "Pay a doctor in Healthcoin") { doctorArg, amount, data, ledger, key, passphraseFile };
        pay.SetAction((parse, ct) => WithKeys(context, parse, data, ledger, key, passphraseFile, async (keys, _, _) =>
        {
            var location = await keys.PayAsync(ParseDoctor(parse.GetValue(doctorArg)!), parse.GetValue(amount), ct);
            await context.Out.WriteLineAsync($"paid; committed at {location}");
        }));

        var status = new Command("status", "Key epoch, authorised doctors, balance, journal backlog and rejection counters") { data, ledger, key, passphraseFile };
        status.SetAction((parse, ct) => WithKeys(context, parse, data, ledger, key, passphraseFile, async (keys, database, client) =>
        {
            var id = keys.PatientId;
            var onLedger = await client.GetPatientKeysAsync(id, ct);
            var balance = await client.GetBalanceAsync(id, ct);
            var backlog = database.Backlog();
            var o = context.Out;
            await o.WriteLineAsync($"patient:   {id}");
            await o.WriteLineAsync($"epoch:     {onLedger?.Epoch.ToString(CultureInfo.InvariantCulture) ?? "not registered"}");
            await o.WriteLineAsync($"doctors:   {(onLedger is null || onLedger.Doctors.Count == 0 ? "none" : string.Join(", ", onLedger.Doctors))}");
            await o.WriteLineAsync($"balance:   {balance} Healthcoin");
            foreach (var doctor in onLedger?.Doctors ?? [])
            {
                await o.WriteLineAsync($"credit:    {doctor} {await client.GetCreditAsync(doctor, id, ct)}");
            }

            await o.WriteLineAsync($"backlog:   {backlog} frames not yet committed");
            var rejections = RejectionCounterStore.Load(database);
            await o.WriteLineAsync($"rejected:  {(rejections.Count == 0 ? "none" : string.Join(", ", rejections.OrderBy(r => r.Key).Select(r => $"{r.Key}={r.Value}")))}");
        }));

        return new Command("patient", "The patient's keys, payments and status (against the gateway's data folder)") { grant, revoke, pay, status, PatientDiagnosesCommand.Create(context) };
    }

    private static IdentityId ParseDoctor(string text) =>
        IdentityId.TryParse(text, out var id) ? id : throw new CliException($"'{text}' is not an identity id (32 lowercase base32 characters)");

    private static Task<int> WithKeys(
        CliContext context,
        System.CommandLine.ParseResult parse,
        Option<DirectoryInfo> data,
        Option<string> ledger,
        Option<string?> key,
        Option<FileInfo?> passphraseFile,
        Func<PatientKeys, GatewayDatabase, ILedger, Task> body) => CommandRunner.RunAsync(context, async () =>
        {
            var folder = parse.GetValue(data)!.FullName;
            using var patient = PatientIdentity.Open(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName, create: false);
            using var connection = Connections.Ledger(context, parse.GetValue(ledger)!);
            var client = connection.Ledger;
            using var database = GatewayDatabase.Open(folder);
            var signer = new PatientSigner(patient, database, client, NullLogger.Instance);
            var manager = new PatientKeyManager(database, SecretSealer.Open(database, patient), signer, client, NullLogger.Instance);
            try
            {
                await body(new PatientKeys(manager, patient.Id), database, client);
            }
            catch (LedgerRejectedException e)
            {
                throw new CliException($"the ledger refused it: {e.Reason}: {e.Detail}");
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }

            return ExitCodes.Ok;
        });

    private sealed class PatientKeys(PatientKeyManager manager, IdentityId patientId)
    {
        public IdentityId PatientId { get; } = patientId;

        public Task<EpochKey> GrantAsync(IdentityId doctor, CancellationToken ct) => manager.GrantAsync(doctor, ct);

        public Task<EpochKey> RevokeAsync(IdentityId doctor, CancellationToken ct) => manager.RevokeAsync(doctor, ct);

        public Task<TxLocation> PayAsync(IdentityId doctor, ulong amount, CancellationToken ct) => manager.PayAsync(doctor, amount, ct);
    }
}
