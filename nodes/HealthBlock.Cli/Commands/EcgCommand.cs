using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HealthBlock.Analysis;
using HealthBlock.Doctor;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock ecg detect|score</c>: beat detection and labelling on WFDB records, and EC57 scoring of
/// detections against the records' reference annotations. Every bad input ends with one line and exit code 2.</summary>
internal static class EcgCommand
{
    private static readonly Dictionary<string, EcgBeatFileFormat> Formats = new(StringComparer.Ordinal)
    {
        ["samples"] = EcgBeatFileFormat.Samples,
        ["csv"] = EcgBeatFileFormat.Csv,
        ["json"] = EcgBeatFileFormat.Json,
        ["wfdb"] = EcgBeatFileFormat.Wfdb,
    };

    public static Command Create(CliContext context)
    {
        var wfdb = new Option<string?>("--wfdb") { Description = "WFDB record path, with or without .hea (e.g. mitdb/100 or mitdb/100.hea for 100.hea, 100.dat, 100.atr)" };
        var channel = new Option<string?>("--channel") { Description = "Signal (channel) number, from 0 (default 0)" };
        var format = new Option<string?>("--format") { Description = "samples (one R-peak sample per line, default), csv, json, or wfdb (an annotation file with N/V/Q beats and NOISE shutdown spans; needs --out)" };
        var output = new Option<FileInfo?>("--out") { Description = "Write to this file instead of standard output" };
        var detect = new Command("detect", "Detect and label beats (N, V, Q) and report unreadable spans") { wfdb, channel, format, output };
        detect.SetAction(parse => Run(context, () =>
        {
            var fileFormat = Format(parse.GetValue(format));
            if (fileFormat == EcgBeatFileFormat.Wfdb && parse.GetValue(output) is null)
            {
                throw new CliException("--format wfdb writes a binary annotation file: give it a name with --out (e.g. --out 100.hb)");
            }

            var detection = EcgRecordTools.Analyze(Required(parse.GetValue(wfdb), "--wfdb"), Channel(parse.GetValue(channel)));
            var bytes = EcgBeatFile.ToBytes(detection, fileFormat);
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllBytes(file.FullName, bytes);
            }
            else
            {
                context.Out.Write(System.Text.Encoding.UTF8.GetString(bytes));
            }

            return ExitCodes.Ok;
        }));

        var records = new Option<string[]>("--wfdb") { Description = "WFDB record path(s), with or without .hea; one --wfdb per record", AllowMultipleArgumentsPerToken = true };
        var detections = new Option<string[]>("--detections") { Description = "Detections file per record, in the order of --wfdb (any format 'ecg detect' writes)", AllowMultipleArgumentsPerToken = true };
        var annotator = new Option<string?>("--annotator") { Description = "Instead of --detections: read each record's test annotations from RECORD.ANNOTATOR (e.g. hb)" };
        var reference = new Option<string?>("--reference") { Description = "Reference annotator (default atr)" };
        var score = new Command("score", "EC57 beat-by-beat scoring (150 ms window, VF episodes not scored) per record, then gross and average") { records, detections, annotator, reference };
        score.SetAction(parse => Run(context, () =>
        {
            var recordPaths = parse.GetValue(records) ?? [];
            var files = parse.GetValue(detections) ?? [];
            var testAnnotator = parse.GetValue(annotator);
            var referenceAnnotator = parse.GetValue(reference) ?? "atr";
            if (recordPaths.Length == 0)
            {
                throw new CliException("missing --wfdb: give at least one record");
            }

            if ((testAnnotator is null) == (files.Length == 0) || (testAnnotator is null && files.Length != recordPaths.Length))
            {
                throw new CliException($"give either one --detections file per record ({recordPaths.Length} record(s), {files.Length} file(s)) or --annotator");
            }

            var reports = new List<(string, Ec57Report)>();
            for (var i = 0; i < recordPaths.Length; i++)
            {
                var path = EcgRecordTools.RecordPath(recordPaths[i]);
                var test = testAnnotator is { } name
                    ? WfdbAnnotationReader.Read(path, name)
                    : EcgBeatFile.Read(ReadFile(files[i]), Path.GetFileName(files[i]));
                reports.Add((Path.GetFileName(path), EcgRecordTools.Evaluate(path, test, referenceAnnotator)));
            }

            context.Out.Write(EcgRecordTools.FormatReports(reports));
            return ExitCodes.Ok;
        }));

        return new Command("ecg", "ECG tools: beat detection and labelling, and EC57 scoring, on WFDB records") { detect, score };
    }

    private static string Required(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new CliException($"missing {option}") : value;

    private static int Channel(string? text) =>
        text is null ? 0
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c
        : throw new CliException($"--channel '{text}' is not a channel number (0, 1, ...)");

    private static EcgBeatFileFormat Format(string? text) =>
        text is null ? EcgBeatFileFormat.Samples
        : Formats.TryGetValue(text, out var f) ? f
        : throw new CliException($"--format '{text}' is not one of {string.Join(", ", Formats.Keys)}");

    private static byte[] ReadFile(string path) =>
        File.Exists(path) ? File.ReadAllBytes(path) : throw new CliException($"detections file '{Path.GetFullPath(path)}' does not exist");

    private static int Run(CliContext context, Func<int> body) => CommandRunner.Run(context, () =>
    {
        try
        {
            return body();
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message);
        }
        catch (Exception e) when (e is WfdbFormatException or FormatException or JsonException)
        {
            throw new CliException(e.Message);
        }
    });
}
