using System.CommandLine;
using HealthBlock.Doctor.Export;
using HealthBlock.Crypto;
using HealthBlock.Doctor;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock doctor …</c>: runs the doctor node, and adds clinician notes.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Doctor node data folder (database; default key file)", Required = true };
        var ledger = EndpointOptions.Ledger();
        var store = EndpointOptions.Store();
        var key = new Option<string?>("--key") { Description = $"Doctor key file (default DATA/{DoctorNodeOptions.DefaultKeyFileName}; create one with: healthblock keygen --role doctor)" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE)" };

        var web = new Option<int?>("--web") { Description = "Serve the doctor page on 127.0.0.1:PORT (0 = any free port); its login asks for the key file's passphrase (docs/web.md)" };
        var runData = new Option<DirectoryInfo?>("--data") { Description = "Doctor node data folder (database; default key file; locked while the node runs); required" };
        var runLedger = EndpointOptions.Ledger(required: false);
        var runStore = EndpointOptions.Store(required: false);
        var serviceListen = new Option<string>("--service-listen") { Description = "IP:PORT of the doctor's HTTP listener: /healthz, /readyz, /metrics (port 0 = any free port; its URL goes to DATA/service.url)", DefaultValueFactory = _ => "127.0.0.1:0" };
        var config = RoleSettings.ConfigOption();
        var logLevel = RoleSettings.LogLevelOption();
        var run = new Command("doctor", "Run the doctor node: follow Userchain, decrypt and analyse IoT batches, publish encrypted diagnoses on Docchain")
        {
            runData, runLedger, runStore, key, passphraseFile, serviceListen, config, logLevel, web,
        };
        var alertMail = new AlertMailArguments();
        alertMail.AddTo(run);
        var live = new LiveArguments();
        live.AddToDoctor(run);
        run.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var liveOptions = live.Doctor(parse);
            var settings = RoleSettings.Read(context, parse, "Doctor", config, [runData, runLedger, runStore, key, passphraseFile, serviceListen]);
            var level = settings.LogLevel(logLevel);
            var folder = settings.RequiredPath(runData);
            var ledgerUrls = settings.RequiredList(runLedger);
            var storeSpecs = settings.RequiredList(runStore);
            using var loggers = HealthBlock.Hosting.RoleLogging.Create(level);
            await using var alerts = alertMail.CreateHub(context, parse, loggers, "doctor");
            using var folderLock = HealthBlock.Hosting.DataFolderLock.Take(folder, "doctor");
            using var doctor = OpenKey(context, folder, settings.OptionalPath(key), settings.OptionalPath(passphraseFile));
            using var client = Connections.Ledger(ledgerUrls, doctor);
            var contentStore = Connections.Store(storeSpecs);
            try
            {
                var output = TextWriter.Synchronized(context.Out);
                using var pageRecords = parse.GetValue(web) is null ? null : new HealthBlock.Doctor.Web.DoctorPageRecords(folder, doctor, client, contentStore);
                HealthBlock.Web.PageServer? page = null;
                await using var service = new DoctorService(settings.Text(serviceListen), folder, loggers);
                using var host = HealthBlock.Hosting.RoleHost.Build(
                    "doctor",
                    level,
                    service.Health,
                    _ => new HealthBlock.Hosting.RoleService(
                        async ct =>
                        {
                            await service.ListenAsync(ct);
                            var node = await Start(new DoctorNodeOptions { DataFolder = folder, Alerts = alerts, Live = liveOptions }, doctor, client, contentStore, loggers, ct);
                            node.DiagnosisCommitted += (_, e) => output.WriteLine(
                                $"diagnosis {e.TransactionId} patient={e.Patient} covers={e.Covers.Count} at={e.Location} latency-ms={(long)e.Latency.TotalMilliseconds}");
                            service.Attach(node);
                            if (pageRecords is not null)
                            {
                                page = await HealthBlock.Web.PageServer.StartDoctorAsync(
                                    pageRecords, new HealthBlock.Web.Login.PageLogin(doctor.Id, KeyPath(folder, settings.OptionalPath(key)), null), parse.GetValue(web)!.Value, ct);
                            }

                            await output.WriteLineAsync($"doctor id={node.Id} data={folder} fee={node.DiagnosisFee} http={service.Url} page={page?.PageUrl.ToString() ?? "off"}");
                            await output.FlushAsync(ct);
                        },
                        async _ =>
                        {
                            if (page is not null)
                            {
                                await page.DisposeAsync();
                            }

                            if (await service.StopAsync() is { } c)
                            {
                                await context.Error.WriteLineAsync(
                                    $"healthblock: doctor stopped at userchain height {c.UserchainHeight}: {c.IotSeen} IoT transactions seen, {c.Diagnosed} diagnosed in {c.Diagnoses} diagnoses, " +
                                    $"{c.AwaitingPayment} awaiting payment, {c.NotAuthorised} not authorised ({c.NotAuthorisedRefusals} refused by the ledger), {c.Failed} failed");
                            }
                        }));
                await HealthBlock.Hosting.RoleHost.RunAsync(host, cancellationToken);
            }
            finally
            {
                (contentStore as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));

        var diagnosis = new Argument<string>("diagnosis") { Description = "Id (64 hex digits) of the diagnosis transaction the note follows" };
        var text = new Argument<string>("text") { Description = "The clinician's note" };
        var note = new Command("note", "Add a clinician-signed note to a diagnosis: a follow-up diagnosis transaction (consumes the diagnosis fee)")
        {
            diagnosis, text, data, ledger, store, key, passphraseFile,
        };
        note.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var folder = parse.GetValue(data)!.FullName;
            using var doctor = OpenKey(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName);
            using var client = Connections.Ledger(parse.GetValue(ledger), doctor);
            var contentStore = Connections.Store(parse.GetValue(store));
            try
            {
                var published = await ClinicianNotes.PublishAsync(folder, doctor, client, contentStore, parse.GetValue(diagnosis)!.Trim().ToLowerInvariant(), parse.GetValue(text)!, cancellationToken: cancellationToken);
                await context.Out.WriteLineAsync($"note {published.TransactionId} committed at {published.Location}");
            }
            catch (LedgerRejectedException e)
            {
                throw new CliException($"the ledger refused the note: {e.Reason}: {e.Detail}");
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or StoreException)
            {
                throw new CliException(e.Message);
            }
            finally
            {
                (contentStore as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));
        run.Subcommands.Add(note);
        run.Subcommands.Add(Export(context, data, ledger, store, key, passphraseFile));
        return run;
    }

    /// <summary><c>doctor export --fhir PATH</c>: granted patients' readings and this doctor's diagnoses as FHIR R4 Bundles.</summary>
    private static Command Export(CliContext context, Option<DirectoryInfo> data, Option<string[]> ledger, Option<string[]> store, Option<string?> key, Option<FileInfo?> passphraseFile)
    {
        var fhir = new Option<string>("--fhir") { Description = "With --patient: the Bundle file to write; without: a folder, one PATIENT.json per patient", Required = true };
        var patient = new Option<string?>("--patient") { Description = "Export one patient (identity id); default: every patient who granted this doctor" };
        var window = ExportWindow.Options();
        var export = new Command("export", "Export granted patients' readings and this doctor's diagnoses as FHIR R4 Bundles, decrypted with the keys they granted")
        {
            fhir, patient, window.From, window.To, data, ledger, store, key, passphraseFile,
        };
        export.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var (fromMs, toMs) = window.Read(parse);
            var folder = parse.GetValue(data)!.FullName;
            using var doctor = OpenKey(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName);
            using var client = Connections.Ledger(parse.GetValue(ledger), doctor);
            var contentStore = Connections.Store(parse.GetValue(store));
            try
            {
                using var keys = DoctorRecordKeys.Open(folder, doctor);
                IReadOnlyList<IdentityId> patients = parse.GetValue(patient) is { } one
                    ? [IdentityId.TryParse(one, out var id) ? id : throw new CliException($"--patient '{one}' is not an identity id")]
                    : keys.Patients;
                if (parse.GetValue(patient) is null)
                {
                    Directory.CreateDirectory(parse.GetValue(fhir)!);
                }

                foreach (var p in patients)
                {
                    var reader = new FhirInputReader(client, contentStore);
                    var diagnosisKey = keys.DiagnosisKey(p);
                    HealthBlock.Fhir.FhirExportInput input;
                    try
                    {
                        input = await reader.ReadAsync(p, null, [], e => keys.IotKey(p, e), d => d == doctor.Id ? diagnosisKey : null, fromMs, toMs, cancellationToken);
                    }
                    catch (LedgerRejectedException e) when (e.Reason == RejectReason.Forbidden && parse.GetValue(patient) is null)
                    {
                        // The ledger answers a doctor only about the patients that grant it now.
                        await context.Error.WriteLineAsync($"skipped patient {p}: it no longer grants this doctor ({e.Detail})");
                        continue;
                    }

                    var file = parse.GetValue(patient) is null ? Path.Combine(parse.GetValue(fhir)!, p + ".json") : parse.GetValue(fhir)!;
                    // Other doctors' diagnoses are sealed under their keys: this doctor exports its own.
                    await ExportWindow.WriteAsync(context, input, new FileInfo(file), [.. reader.Skipped.Where(s => !s.Contains("no diagnosis key for doctor", StringComparison.Ordinal))], cancellationToken);
                }
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }
            finally
            {
                (contentStore as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));
        return export;
    }

    private static async Task<DoctorNode> Start(DoctorNodeOptions options, IdentityKey doctor, ILedger ledger, IContentStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            return await DoctorNode.StartAsync(options, doctor, ledger, store, loggers, cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException(e.Message);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"the ledger could not be reached: {e.Message}");
        }
    }

    private static string KeyPath(string folder, string? keyFile) => Path.GetFullPath(keyFile ?? Path.Combine(folder, DoctorNodeOptions.DefaultKeyFileName));

    /// <summary>Opens the doctor's key file (the doctor node never creates one: use <c>healthblock keygen --role doctor</c>).</summary>
    private static IdentityKey OpenKey(CliContext context, string folder, string? keyFile, string? passphraseFile)
    {
        var path = KeyPath(folder, keyFile);
        if (!File.Exists(path))
        {
            throw new CliException($"no doctor key at '{path}': create one with 'healthblock keygen --role doctor --out {path}' and have an admin register it, or pass --key");
        }

        var text = File.ReadAllText(path);
        if (KeyFile.ReadRole(text) is { } role && role != LedgerNames.RoleName(Role.Doctor))
        {
            throw new CliException($"'{path}' is a {role} key, not a doctor key");
        }

        return KeyFile.Import(text, Passphrases.Read(context, passphraseFile, confirm: false));
    }
}
