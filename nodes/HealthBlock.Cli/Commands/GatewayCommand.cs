using System.CommandLine;
using System.Net;
using HealthBlock.Gateway;
using HealthBlock.Gateway.Batching;
using HealthBlock.Gateway.Gpio;
using HealthBlock.Gateway.Journal;
using HealthBlock.Gateway.Keys;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock gateway …</c>: runs the user node, and pairs devices.</summary>
internal static class GatewayCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Gateway data folder (database, patient key)", Required = true };
        var ledger = new Option<string>("--ledger") { Description = "URL of an accounting node", Required = true };
        var store = new Option<string>("--store") { Description = "Content store: a folder (embedded) or an IPFS API URL", Required = true };
        var listen = new Option<int>("--mqtt-listen") { Description = "Port of the embedded MQTT broker (0 = any free port)", DefaultValueFactory = _ => 1883 };
        var bind = new Option<string>("--mqtt-bind") { Description = "Address the embedded broker binds", DefaultValueFactory = _ => "0.0.0.0" };
        var external = new Option<string?>("--mqtt") { Description = "Use this external broker (mqtt://host:port) instead of the embedded one" };
        var window = new Option<int>("--window-ms") { Description = "Batch window in milliseconds", DefaultValueFactory = _ => 10_000 };
        var name = new Option<string>("--name") { Description = "Patient display name for self-registration", DefaultValueFactory = _ => "patient" };
        var button = new Option<bool>("--require-pairing-button") { Description = "New devices stay pending until the pairing button is pressed" };
        var noGpio = new Option<bool>("--no-gpio") { Description = "Do not touch GPIO" };
        var gpioChip = new Option<int?>("--gpio-chip") { Description = "GPIO chip number (/dev/gpiochipN) for the LEDs and button (default: the machine's default driver)" };
        var key = new Option<string?>("--key") { Description = $"Patient key file (default DATA/{PatientIdentity.DefaultFileName}; created on first start)" };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = "Read the key passphrase from this file (else $HEALTHBLOCK_PASSPHRASE)" };

        var alertMail = new AlertMailArguments();
        var run = new Command("gateway", "Run the gateway (user node): MQTT ingest, journal, encrypted batches, IoT transactions")
        {
            data, ledger, store, listen, bind, external, window, name, button, noGpio, gpioChip, key, passphraseFile,
        };
        alertMail.AddTo(run);
        run.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var folder = parse.GetValue(data)!.FullName;
            var alertEmail = alertMail.Read(context, parse, "gateway");
            using var patient = PatientIdentity.Open(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName, create: true);
            using var ledgerClient = Connections.Ledger(parse.GetValue(ledger)!);
            using var loggers = Connections.Logging();
            var externalUrl = parse.GetValue(external);
            var options = new GatewayOptions
            {
                DataFolder = folder,
                MqttPort = parse.GetValue(listen),
                MqttBindAddress = IPAddress.TryParse(parse.GetValue(bind), out var address) ? address : throw new CliException($"--mqtt-bind '{parse.GetValue(bind)}' is not an IP address"),
                ExternalBroker = externalUrl is null ? null : new Uri(externalUrl),
                PatientName = parse.GetValue(name)!,
                RequirePairingButton = parse.GetValue(button),
                Batching = new BatchOptions { Window = TimeSpan.FromMilliseconds(Math.Max(10, parse.GetValue(window))) },
                Gpio = parse.GetValue(noGpio) ? null : new GpioOptions { Chip = parse.GetValue(gpioChip) },
                AlertEmail = alertEmail,
            };
            await using var gateway = await GatewayService.StartAsync(options, patient, ledgerClient, Connections.Store(parse.GetValue(store)!), loggers, cancellationToken: cancellationToken);
            await context.Out.WriteLineAsync($"gateway patient={patient.Id} mqtt-port={gateway.MqttPort}");
            await context.Out.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Ok;
        }));

        var device = new Option<string>("--device") { Description = "Device id: 16 hex digits (e.g. from the ESP32's MAC)", Required = true };
        var broker = new Option<string>("--broker") { Description = "host:port the device connects to", DefaultValueFactory = _ => "gateway.local:1883" };
        var pending = new Option<bool>("--pending") { Description = "Keep the device pending until the pairing button is pressed" };
        var pair = new Command("pair", "Pair a device: make its HMAC key and print the provisioning blob the firmware reads")
        {
            data, device, broker, pending, key, passphraseFile,
        };
        pair.SetAction(parse => CommandRunner.Run(context, () =>
        {
            if (!DeviceFrame.TryParseDeviceId(parse.GetValue(device)!.ToLowerInvariant(), out var id))
            {
                throw new CliException($"--device '{parse.GetValue(device)}' is not 16 hex digits");
            }

            var (host, port) = ParseHostPort(parse.GetValue(broker)!);
            var folder = parse.GetValue(data)!.FullName;
            using var patient = PatientIdentity.Open(context, folder, parse.GetValue(key), parse.GetValue(passphraseFile)?.FullName, create: false);
            var uplink = DeviceUplinkOptions.PlaintextForNow;
            try
            {
                // Checked before the device is paired, so a broker the firmware would refuse pairs nothing.
                PairingPrinter.Format(id, patient.Id.ToString(), new byte[PairingBlob.KeyLength], host, port, uplink);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--broker '{parse.GetValue(broker)}' cannot go into a pairing blob ({e.Message})");
            }

            using var database = GatewayDatabase.Open(folder);
            var registry = new DeviceRegistry(database, SecretSealer.Open(database, patient));
            var entry = registry.Pair(id, parse.GetValue(pending) ? DeviceState.Pending : DeviceState.Active);
            context.Out.WriteLine(PairingPrinter.Format(entry.Id, patient.Id.ToString(), entry.Key, host, port, uplink));
            return ExitCodes.Ok;
        }));
        run.Subcommands.Add(pair);
        return run;
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
