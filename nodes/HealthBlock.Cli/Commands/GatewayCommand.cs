using System.CommandLine;
using System.Net;
using HealthBlock.Crypto;
using HealthBlock.Gateway;
using HealthBlock.Gateway.Batching;
using HealthBlock.Gateway.Gpio;
using System.Globalization;
using HealthBlock.Gateway.Admin;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock gateway …</c>: runs the user node, and pairs devices.</summary>
internal static class GatewayCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Gateway data folder (database, patient key)", Required = true };
        var runData = new Option<DirectoryInfo?>("--data") { Description = "Gateway data folder (database, patient key; locked while the gateway runs); required" };
        var ledger = EndpointOptions.Ledger(required: false);
        var store = EndpointOptions.Store(required: false);
        var listen = new Option<int>("--mqtt-listen") { Description = "Port of the embedded MQTT broker (0 = any free port)", DefaultValueFactory = _ => 1883 };
        var bind = new Option<string>("--mqtt-bind") { Description = "Address the embedded broker binds", DefaultValueFactory = _ => "0.0.0.0" };
        var plaintext = new Option<bool>("--mqtt-plaintext") { Description = "Serve MQTT without TLS (readings readable on the network): only when you mean it" };
        var mqttNames = new Option<string[]>("--mqtt-name") { Description = "Host name or address devices dial, for the broker's TLS certificate (repeat; default: localhost, loopback, the host name, host.local and gateway.local)", AllowMultipleArgumentsPerToken = true };
        var external = new Option<string?>("--mqtt") { Description = "Ingest from this external broker instead of the embedded one: mqtts://host:port (Mosquitto with TLS and per-device logins, docs/deployment.md); mqtt://host:port only with --mqtt-plaintext" };
        var externalCa = new Option<string?>("--mqtt-ca") { Description = "PEM CA certificate the external broker's certificate must chain to (default: the gateway's own CA, which issues the certificate it writes for Mosquitto)" };
        var mosquittoDir = new Option<string?>("--mosquitto-dir") { Description = "Where the gateway writes Mosquitto's files for mqtts:// (mosquitto.conf, password_file, acl_file, certificate and key; default DATA/mosquitto)" };
        var window = new Option<int>("--window-ms") { Description = "Batch window in milliseconds", DefaultValueFactory = _ => 10_000 };
        var button = new Option<bool>("--require-pairing-button") { Description = "New devices stay pending until the pairing button is pressed" };
        var noGpio = new Option<bool>("--no-gpio") { Description = "Do not touch GPIO" };
        var gpioChip = new Option<int?>("--gpio-chip") { Description = "GPIO chip number (/dev/gpiochipN) for the LEDs and button (default: the machine's default driver)" };
        var key = new Option<string?>("--key") { Description = $"Patient key file (default DATA/{PatientIdentity.DefaultFileName}; created on first start)" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE; with systemd: LoadCredential)" };
        var httpPort = new Option<int>("--http-port") { Description = "Loopback port of the gateway's HTTP listener: the signed admin endpoint, /healthz, /readyz, /metrics (0 = any free port; its URL goes to DATA/admin.url)", DefaultValueFactory = _ => 0 };
        var config = RoleSettings.ConfigOption();
        var logLevel = RoleSettings.LogLevelOption();

        var web = new Option<int?>("--web") { Description = "Serve the patient page on 127.0.0.1:PORT (0 = any free port); its login asks for the key file's passphrase (docs/web.md)" };
        var alertMail = new AlertMailArguments();
        var live = new LiveArguments();
        var run = new Command("gateway", "Run the gateway (user node): MQTT ingest, journal, encrypted batches, IoT transactions")
        {
            runData, ledger, store, listen, bind, plaintext, mqttNames, external, externalCa, mosquittoDir, window, button, noGpio, gpioChip, key, passphraseFile, httpPort, config, logLevel, web,
        };
        alertMail.AddTo(run);
        live.AddToGateway(run);
        run.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var liveOptions = live.Gateway(parse);
            var settings = RoleSettings.Read(context, parse, "Gateway", config, [runData, ledger, store, listen, bind, plaintext, external, externalCa, mosquittoDir, window, button, noGpio, key, passphraseFile, httpPort]);
            var level = settings.LogLevel(logLevel);
            var folder = settings.RequiredPath(runData);
            var ledgerUrls = settings.RequiredList(ledger);
            var storeSpecs = settings.RequiredList(store);
            var alertEmail = alertMail.Read(context, parse, "gateway");
            var externalBroker = ExternalBrokerUrl(settings.OptionalText(external), settings.Flag(plaintext));
            using var patient = PatientIdentity.Open(context, folder, settings.OptionalPath(key), settings.OptionalPath(passphraseFile), create: true);
            using var ledgerClient = Connections.Ledger(ledgerUrls, patient);
            using var loggers = HealthBlock.Hosting.RoleLogging.Create(level);
            var bindText = settings.Text(bind);
            var options = new GatewayOptions
            {
                DataFolder = folder,
                MqttPort = settings.Int(listen),
                MqttBindAddress = IPAddress.TryParse(bindText, out var address) ? address : throw new CliException($"--mqtt-bind '{bindText}' is not an IP address"),
                MqttPlaintext = settings.Flag(plaintext),
                MqttServerNames = parse.GetValue(mqttNames) is { Length: > 0 } names ? names : null,
                ExternalBroker = externalBroker,
                ExternalBrokerCa = settings.OptionalPath(externalCa),
                MosquittoFolder = settings.OptionalPath(mosquittoDir),
                RequirePairingButton = settings.Flag(button),
                Batching = new BatchOptions { Window = TimeSpan.FromMilliseconds(Math.Max(10, settings.Int(window))) },
                Gpio = settings.Flag(noGpio) ? null : new GpioOptions { Chip = parse.GetValue(gpioChip) },
                AlertEmail = alertEmail,
                AdminPort = settings.Int(httpPort),
                Live = liveOptions,
                Web = parse.GetValue(web) is { } webPort ? new HealthBlock.Web.PatientPageOptions { Port = webPort, KeyFile = PatientIdentity.PathFor(folder, settings.OptionalPath(key)) } : null,
            };
            var contentStore = Connections.Store(storeSpecs);
            if (options.Web is { } pageOptions)
            {
                // The patient page reads the diagnoses in the doctor node's document format.
                options = options with { Web = pageOptions with { Diagnoses = new HealthBlock.Doctor.Web.DoctorDiagnosisSource(ledgerClient, contentStore) } };
            }

            try
            {
                GatewayService? gateway = null;
                using var host = HealthBlock.Hosting.RoleHost.Build(
                    "gateway",
                    level,
                    new HealthBlock.Hosting.RoleHealth(() => gateway?.Health.Liveness() ?? HealthBlock.Hosting.HealthState.Unhealthy("starting"), () => gateway?.Health.Readiness() ?? HealthBlock.Hosting.HealthState.Unhealthy("starting: waiting for the ledger and for an admin to register the patient")),
                    _ => new HealthBlock.Hosting.RoleService(
                        async ct =>
                        {
                            gateway = await GatewayService.StartAsync(options, patient, ledgerClient, contentStore, loggers, cancellationToken: ct);
                            await context.Out.WriteLineAsync($"gateway patient={patient.Id} mqtt-port={gateway.MqttPort} mqtt-tls={(gateway.Broker?.Encrypted == true ? "on" : "off")} http={gateway.AdminEndpoint?.Url.ToString() ?? "off"} page={gateway.Pages?.PageUrl.ToString() ?? "off"}");
                            await context.Out.FlushAsync(ct);
                        },
                        async _ => await gateway!.DisposeAsync()));
                await HealthBlock.Hosting.RoleHost.RunAsync(host, cancellationToken);
            }
            finally
            {
                (contentStore as IDisposable)?.Dispose();
            }

            return ExitCodes.Ok;
        }));

        var device = new Option<string>("--device") { Description = "Device id: 16 hex digits (e.g. from the ESP32's MAC)", Required = true };
        var broker = new Option<string>("--broker") { Description = "host:port the device connects to", DefaultValueFactory = _ => "gateway.local:1883" };
        var pending = new Option<bool>("--pending") { Description = "Keep the device pending until the pairing button is pressed" };
        var replace = new Option<bool>("--replace") { Description = "Pair a device that is paired already: a new key, and its sequence numbers start afresh" };
        var blobOut = new Option<string?>("--out") { Description = "Write the provisioning blob to this new file, readable by its owner only (0600), instead of printing it: whoever reads the blob can log in as the device" };
        var pair = new Command("pair", "Pair a device: make its HMAC key and print the provisioning blob the firmware reads (through the running gateway when it runs)")
        {
            data, device, broker, pending, replace, blobOut, key, passphraseFile,
        };
        pair.SetAction((parse, ct) =>
        {
            if (!HealthBlock.Protocol.Frames.DeviceFrame.TryParseDeviceId(parse.GetValue(device)!.ToLowerInvariant(), out _))
            {
                context.Error.WriteLine($"healthblock: --device '{parse.GetValue(device)}' is not 16 hex digits");
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            var (host, port) = ParseHostPort(parse.GetValue(broker)!);
            var outFile = parse.GetValue(blobOut) is { } o ? Path.GetFullPath(o) : null;
            if (outFile is not null && (File.Exists(outFile) || !Directory.Exists(Path.GetDirectoryName(outFile))))
            {
                context.Error.WriteLine(File.Exists(outFile)
                    ? $"healthblock: --out {outFile} exists: a blob is never overwritten (remove it, or pair again with --replace into a new file)"
                    : $"healthblock: --out {outFile}: its folder does not exist");
                return Task.FromResult(ExitCodes.InvalidInput);
            }

            return GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, null, async admin =>
            {
                var paired = await admin.PairAsync(new PairRequest(parse.GetValue(device)!, host, port, parse.GetValue(pending), parse.GetValue(replace)), ct);
                if (outFile is null)
                {
                    await context.Out.WriteLineAsync(paired.PairingBlob);
                    return;
                }

                PrivateFiles.WriteAllText(outFile, paired.PairingBlob + "\n", overwrite: false);
                await context.Out.WriteLineAsync($"paired {paired.Device}: provisioning blob in {outFile} (0600)");
            });
        });

        var devices = new Command("devices", "List paired devices with their last sequence number and last frame time") { data, key, passphraseFile };
        devices.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, null, async admin =>
        {
            var list = await admin.DevicesAsync(ct);
            await context.Out.WriteLineAsync("device            state    pairing  last-seq  last-frame (UTC)      frames");
            foreach (var d in list)
            {
                var last = d.LastFrameMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{d.Device}  {d.State,-7}  {d.Pairing,7}  {d.LastSequence?.ToString(CultureInfo.InvariantCulture) ?? "-",8}  {last,-20}  {d.Frames}"));
            }

            await context.Out.WriteLineAsync($"{list.Count} device(s)");
        }));

        var unpair = new Command("unpair", "Unpair a device: its frames are refused from now on") { data, device, key, passphraseFile };
        unpair.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, null, async admin =>
        {
            var removed = await admin.UnpairAsync(parse.GetValue(device)!, ct);
            await context.Out.WriteLineAsync($"unpaired {removed.Device}");
        }));

        var drop = new Option<ulong?>("--drop") { Description = "Drop the readings of this parked batch (never published, never will be): its frames keep only their sequence numbers and MAC tags" };
        var parked = new Command("parked", "List the batches the gateway parked instead of publishing (refused by the ledger for good, or altered on disk), or drop one's readings") { data, drop, key, passphraseFile };
        parked.SetAction((parse, ct) => GatewayAdminAccess.RunAsync(context, parse, data, key, passphraseFile, null, async admin =>
        {
            if (parse.GetValue(drop) is { } batch)
            {
                var dropped = await admin.DropParkedAsync(batch, ct);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"dropped the readings of parked batch {dropped.Batch}: {dropped.Frames} frames keep only their sequence numbers and MAC tags"));
                return;
            }

            var list = await admin.ParkedAsync(ct);
            await context.Out.WriteLineAsync("batch  epoch  frames  held  parked (UTC)          reason");
            foreach (var p in list)
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(p.ParkedMs).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{p.Batch,5}  {p.Epoch,5}  {p.Frames,6}  {p.FramesHeld,4}  {at,-20}  {p.Reason}"));
            }

            await context.Out.WriteLineAsync($"{list.Count} parked batch(es)");
        }));

        run.Subcommands.Add(pair);
        run.Subcommands.Add(parked);
        run.Subcommands.Add(devices);
        run.Subcommands.Add(unpair);
        return run;
    }

    /// <summary>The <c>--mqtt</c> URL: mqtts://, or mqtt:// with --mqtt-plaintext; anything else one line and exit 2.</summary>
    private static Uri? ExternalBrokerUrl(string? text, bool plaintext)
    {
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtts" or "ssl" or "mqtt" or "tcp"))
        {
            throw new CliException($"--mqtt '{text}' is not mqtts://host:port");
        }

        return HealthBlock.Gateway.Mqtt.ExternalBrokerLink.IsTlsUrl(uri) || plaintext
            ? uri
            : throw new CliException(HealthBlock.Gateway.Mqtt.ExternalBrokerLink.PlaintextRefusal(uri));
    }

    private static (string Host, int Port) ParseHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            throw new CliException($"--broker '{text}' is not host:port");
        }

        return (text[..colon].Trim('[', ']'), port);
    }
}
