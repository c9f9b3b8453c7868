using System.CommandLine;
using HealthBlock.Analysis;
using HealthBlock.Doctor;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock ecg detect|score</c>: R-peak detection on WFDB records and EC57 scoring against their annotations.</summary>
internal static class EcgCommand
{
    public static Command Create(CliContext context)
    {
        var wfdb = new Option<string>("--wfdb") { Description = "WFDB record path without extension (e.g. mitdb/100 for 100.hea, 100.dat, 100.atr)", Required = true };

        var channel = new Option<int>("--channel") { Description = "Signal (channel) number, from 0", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo?>("--out") { Description = "Write the detections to this file instead of standard output" };
        var detect = new Command("detect", "Detect R peaks; print one sample index per line") { wfdb, channel, output };
        detect.SetAction(parse => Run(context, () =>
        {
            var peaks = EcgRecordTools.Detect(parse.GetValue(wfdb)!, parse.GetValue(channel));
            if (parse.GetValue(output) is { } file)
            {
                using var writer = new StreamWriter(file.FullName);
                EcgRecordTools.WriteDetections(writer, peaks);
            }
            else
            {
                EcgRecordTools.WriteDetections(context.Out, peaks);
            }

            return ExitCodes.Ok;
        }));

        var detections = new Option<FileInfo>("--detections") { Description = "Detections file: one sample index per line (as 'ecg detect' writes)", Required = true };
        var score = new Command("score", "Score detections against the record's .atr annotations (EC57, 150 ms window); print Se, +P, TP, FP, FN") { wfdb, detections };
        score.SetAction(parse => Run(context, () =>
        {
            var file = parse.GetValue(detections)!;
            if (!file.Exists)
            {
                throw new CliException($"detections file '{file.FullName}' does not exist");
            }

            int[] peaks;
            using (var reader = new StreamReader(file.FullName))
            {
                peaks = EcgRecordTools.ReadDetections(reader);
            }

            context.Out.Write(EcgRecordTools.FormatScore(EcgRecordTools.Score(parse.GetValue(wfdb)!, peaks)));
            return ExitCodes.Ok;
        }));

        return new Command("ecg", "ECG tools: R-peak detection and EC57 scoring on WFDB records") { detect, score };
    }

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
        catch (Exception e) when (e is WfdbFormatException or FormatException)
        {
            throw new CliException(e.Message);
        }
    });
}
