using System.CommandLine;
using System.Globalization;
using HealthBlock.Analysis;
using HealthBlock.Doctor;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Simulation.Ecg;
using HealthBlock.Wearable.Simulation.Wearable;

namespace HealthBlock.Cli.Commands;

/// <summary>
/// <c>healthblock wearable emulate --pairing FILE --ecg RECORD</c>: the real firmware core (sampler, frame signing, offline
/// queue, MQTT uplink) on emulated sensors, streaming a WFDB record as its ECG, for bench tests without an ESP32.
/// </summary>
internal static class WearableCommand
{
    public static Command Create(CliContext context)
    {
        var pairing = new Option<FileInfo>("--pairing") { Description = "The pairing blob 'healthblock gateway pair' printed, in a file", Required = true };
        var ecg = new Option<string?>("--ecg") { Description = "WFDB record whose first channel is the ECG (e.g. data/mitdb/100, with or without .hea); default: a synthetic ECG" };
        var seconds = new Option<int>("--seconds") { Description = "Stream this long, send what is queued, then exit (0 = until Ctrl-C or SIGTERM)", DefaultValueFactory = _ => 0 };
        var broker = new Option<string?>("--broker") { Description = "host:port of the gateway's broker (default: the one in the pairing blob)" };
        var state = new Option<DirectoryInfo?>("--state") { Description = "Where the firmware keeps its sequence counter between runs (default: PAIRING.state/ beside the pairing file)" };
        var emulate = new Command("emulate", "Run an emulated wearable on the real firmware core: ECG from a WFDB record, temperature, MQTT to the gateway") { pairing, ecg, seconds, broker, state };
        emulate.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(context, async () =>
        {
            var file = parse.GetValue(pairing)!;
            var blob = file.Exists ? ParsePairing(file) : throw new CliException($"--pairing '{file.FullName}' does not exist: save what 'healthblock gateway pair' prints there");
            var options = EmulatedWearableOptions.FromPairing(blob);
            if (parse.GetValue(broker) is { } hostPort)
            {
                var colon = hostPort.LastIndexOf(':');
                options = colon > 0 && int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
                    ? options with { BrokerHost = hostPort[..colon], BrokerPort = port }
                    : throw new CliException($"--broker '{hostPort}' is not host:port");
            }

            var counter = parse.GetValue(state)?.FullName ?? file.FullName + ".state";
            Directory.CreateDirectory(counter);
            options = options with { Ecg = EcgSource(parse.GetValue(ecg)), CounterSlots = new DirectoryRecordSlots(counter) };
            using var wearable = EmulatedWearable.WithMqtt(options);
            wearable.Start();
            await context.Error.WriteLineAsync($"healthblock: wearable {blob.DeviceId:x16} streaming to {options.BrokerHost}:{options.BrokerPort}");
            var duration = parse.GetValue(seconds);
            try
            {
                await Task.Delay(duration > 0 ? TimeSpan.FromSeconds(duration) : Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            // Like a wearable that stays on a little longer: what is queued goes out before the threads stop.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (DateTime.UtcNow < deadline && (wearable.Statistics.Queued > 0 || wearable.Statistics.FrameInFlight))
            {
                await Task.Delay(100, CancellationToken.None);
            }

            wearable.Stop();
            var s = wearable.Statistics;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wearable device={blob.DeviceId:x16} frames-produced={s.FramesProduced} frames-sent={s.FramesSent} dropped={s.FramesDropped} queued={s.Queued}"));
            return s.FramesSent > 0
                ? ExitCodes.Ok
                : throw new CliException($"no frame reached the gateway at {options.BrokerHost}:{options.BrokerPort}{(wearable.LastError is { } e ? $": {e.Message}" : "")}");
        }));

        var wearableCommand = new Command("wearable", "Emulated wearables for bench tests");
        wearableCommand.Subcommands.Add(emulate);
        return wearableCommand;
    }

    private static PairingBlob ParsePairing(FileInfo file)
    {
        try
        {
            return PairingBlob.Parse(File.ReadAllText(file.FullName).Trim());
        }
        catch (FormatException e)
        {
            throw new CliException($"--pairing '{file.FullName}': {e.Message}");
        }
    }

    private static IEcgSource? EcgSource(string? record)
    {
        if (record is null)
        {
            return null;
        }

        try
        {
            return new ResampledEcgSource(WfdbReader.ReadRecord(EcgRecordTools.RecordPath(record)));
        }
        catch (WfdbFormatException e)
        {
            throw new CliException($"--ecg '{record}': {e.Message}");
        }
    }
}
