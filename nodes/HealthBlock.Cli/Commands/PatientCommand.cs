using System.CommandLine;
using System.Globalization;
using HealthBlock.Gateway.Admin;

namespace HealthBlock.Cli.Commands;

/// <summary>
/// <c>healthblock patient grant|revoke|pay|status</c>: the patient's key management. Through the running gateway's
/// signed admin endpoint when the gateway runs; on its data folder (with <c>--ledger</c>) while it is stopped.
/// </summary>
internal static class PatientCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The gateway's data folder", Required = true };
        var ledger = GatewayAdminAccess.LedgerOption();
        var key = new Option<string?>("--key") { Description = $"Patient key file (default DATA/{PatientIdentity.DefaultFileName})" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE)" };
        var doctorArg = new Argument<string>("doctor") { Description = "The doctor's identity id" };

        var grant = new Command("grant", "Authorise a doctor: a key transaction (new epoch, new IoT key) with envelopes for every authorised doctor") { doctorArg, data, ledger, key, passphraseFile };
        grant.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, ledger, async admin =>
        {
            var change = await admin.GrantAsync(ParseIdentity(parse.GetValue(doctorArg)!), ct);
            await context.Out.WriteLineAsync($"granted; key epoch {change.Epoch}");
        }));

        var revoke = new Command("revoke", "Revoke a doctor: a new IoT key, envelopes only for the doctors who remain") { doctorArg, data, ledger, key, passphraseFile };
        revoke.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, ledger, async admin =>
        {
            var change = await admin.RevokeAsync(ParseIdentity(parse.GetValue(doctorArg)!), ct);
            await context.Out.WriteLineAsync($"revoked; new IoT key, epoch {change.Epoch}");
        }));

        var amount = new Argument<ulong>("amount") { Description = "Healthcoin to pay" };
        var pay = new Command("pay", "Pay a doctor in Healthcoin") { doctorArg, amount, data, ledger, key, passphraseFile };
        pay.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, ledger, async admin =>
        {
            var paid = await admin.PayAsync(new PaymentRequest(ParseIdentity(parse.GetValue(doctorArg)!), parse.GetValue(amount)), ct);
            await context.Out.WriteLineAsync($"paid; committed at {paid.Location}");
        }));

        var statisticsArg = new Argument<string>("statistics") { Description = "Id of the statistics identity (see: healthblock admin list --role statistics)" };
        var optOut = new Option<bool>("--opt-out") { Description = "Opt out instead (the gateway stops contributing from the next period)" };
        var consent = new Command("stats-consent", "Opt in to a statistics identity's cohort statistics (Paillier-encrypted periods; docs/paillier.md)") { statisticsArg, optOut, data, ledger, key, passphraseFile };
        consent.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, ledger, async admin =>
        {
            var optIn = !parse.GetValue(optOut);
            var changed = await admin.ConsentAsync(new ConsentRequest(ParseIdentity(parse.GetValue(statisticsArg)!), optIn), ct);
            await context.Out.WriteLineAsync($"{(optIn ? "opted in" : "opted out")}; committed at {changed.Location}");
        }));

        var status = new Command("status", "Key epoch, authorised doctors, balance, journal backlog, parked batches and rejection counters") { data, ledger, key, passphraseFile };
        status.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, ledger, async admin =>
        {
            var s = await admin.StatusAsync(ct);
            var o = context.Out;
            await o.WriteLineAsync($"patient:   {s.Patient}");
            await o.WriteLineAsync($"gateway:   {(s.Running ? "running" : "stopped")}");
            await o.WriteLineAsync($"epoch:     {s.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "not registered"}");
            await o.WriteLineAsync($"doctors:   {(s.Doctors.Count == 0 ? "none" : string.Join(", ", s.Doctors))}");
            await o.WriteLineAsync($"balance:   {s.Balance} Healthcoin");
            foreach (var (doctor, credit) in s.Credits.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                await o.WriteLineAsync($"credit:    {doctor} {credit}");
            }

            await o.WriteLineAsync($"backlog:   {s.Backlog} frames not yet committed");
            await o.WriteLineAsync($"parked:    {s.ParkedBatches} batches ({s.ParkedFrames} frames) refused by the ledger for good");
            await o.WriteLineAsync($"rejected:  {(s.Rejections.Count == 0 ? "none" : string.Join(", ", s.Rejections.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}")))}");
        }));

        return new Command("patient", "The patient's keys, payments and status (through the running gateway, or its data folder when stopped)") { grant, revoke, pay, consent, status, PatientDiagnosesCommand.Create(context), PatientExportCommand.Create(context) };
    }

    private static string ParseIdentity(string text) =>
        Crypto.IdentityId.TryParse(text, out var id) ? id.ToString() : throw new CliException($"'{text}' is not an identity id (32 lowercase base32 characters)");
}
