using System.CommandLine;
using System.Text.Json;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock frame decode FILE</c>.</summary>
internal static class FrameCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A binary frame (or, with --hex, its hex text)" };
        var hex = new Option<bool>("--hex") { Description = "The file holds the frame as hex text" };
        var key = new Option<string?>("--key") { Description = "Device key (64 hex digits): also verify the HMAC" };
        var decode = new Command("decode", "Print a device frame as JSON; exit 2 with a one-line reason if it is invalid") { file, hex, key };
        decode.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var info = parse.GetValue(file)!;
            if (!info.Exists)
            {
                throw new CliException($"'{info.FullName}' does not exist");
            }

            var bytes = parse.GetValue(hex) ? ParseHex(File.ReadAllText(info.FullName).Trim()) : File.ReadAllBytes(info.FullName);
            var keyHex = parse.GetValue(key);
            var frame = keyHex is null ? DeviceFrame.Decode(bytes) : DeviceFrame.DecodeAndVerify(bytes, ParseHex(keyHex));
            context.Out.WriteLine(JsonSerializer.Serialize(ToJson(frame, keyHex is not null), Indented));
            return ExitCodes.Ok;
        }));
        return new Command("frame", "Device frame tools") { decode };
    }

    private static byte[] ParseHex(string text)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new CliException("not valid hex");
        }
    }

    private static Dictionary<string, object> ToJson(DeviceFrame frame, bool verified) => new()
    {
        ["version"] = frame.Version,
        ["kind"] = SensorKinds.TopicName(frame.Kind),
        ["flags"] = frame.Flags.ToString(),
        ["device"] = frame.DeviceName,
        ["sequence"] = frame.Sequence,
        ["timestamp_ms"] = frame.TimestampMs,
        ["rate_millihertz"] = frame.RateMilliHz,
        ["dropped"] = frame.Dropped,
        ["sample_count"] = frame.Samples.Length,
        ["samples"] = frame.Samples.ToArray(),
        ["tag_length"] = frame.Tag.Length,
        ["tag"] = Convert.ToHexStringLower(frame.Tag),
        ["mac_verified"] = verified,
    };
}
