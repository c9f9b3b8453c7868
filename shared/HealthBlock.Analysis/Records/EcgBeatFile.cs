using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HealthBlock.Analysis;

/// <summary>Writes detections in the formats of <see cref="EcgBeatFileFormat"/> and reads any of them back.</summary>
public static class EcgBeatFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The bytes of a detections file.</summary>
    /// <param name="detection">Beats and unreadable spans.</param>
    /// <param name="format">File format.</param>
    /// <returns>File contents (UTF-8 text, or a binary annotation file for <see cref="EcgBeatFileFormat.Wfdb"/>).</returns>
    public static byte[] ToBytes(EcgRecordDetection detection, EcgBeatFileFormat format)
    {
        ArgumentNullException.ThrowIfNull(detection);
        if (format == EcgBeatFileFormat.Wfdb)
        {
            return WfdbAnnotationWriter.ToBytes(detection.ToAnnotations(), nulTerminatedAux: false);
        }

        var fs = detection.SamplingFrequency;
        var text = new StringBuilder();
        switch (format)
        {
            case EcgBeatFileFormat.Samples:
                foreach (var s in detection.Unreadable)
                {
                    text.Append(CultureInfo.InvariantCulture, $"# unreadable {s.StartSample} {s.EndSample} {s.Issues}\n");
                }

                foreach (var b in detection.Beats)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{b.Sample}\n");
                }

                break;
            case EcgBeatFileFormat.Csv:
                text.Append("kind,sample,end_sample,seconds,label\n");
                var rows = detection.Beats.Select(b => (b.Sample, Row: string.Create(CultureInfo.InvariantCulture, $"beat,{b.Sample},,{b.Sample / fs:0.000},{AnnotationCodes.Mnemonic(b.Label)}")))
                    .Concat(detection.Unreadable.Select(s => (s.StartSample, Row: string.Create(CultureInfo.InvariantCulture, $"unreadable,{s.StartSample},{s.EndSample},{s.StartSample / fs:0.000},\"{s.Issues}\""))))
                    .OrderBy(r => r.Item1);
                foreach (var (_, row) in rows)
                {
                    text.Append(row).Append('\n');
                }

                break;
            case EcgBeatFileFormat.Json:
                var document = new JsonDetection(
                    detection.Record, fs, detection.Channel, QrsDetector.AlgorithmName, QrsDetector.AlgorithmVersion,
                    [.. detection.Beats.Select(b => new JsonBeat(b.Sample, Math.Round(b.Sample / fs, 4), AnnotationCodes.Mnemonic(b.Label)))],
                    [.. detection.Unreadable.Select(s => new JsonSpan(s.StartSample, s.EndSample, s.Issues.ToString()))]);
                text.Append(JsonSerializer.Serialize(document, Json)).Append('\n');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "unknown beat file format");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Reads a detections file in any format of <see cref="EcgBeatFileFormat"/>: JSON and CSV by content, a
    /// list of sample indices when every line is one (blank lines and <c>#</c> comments allowed, <c># unreadable</c>
    /// comments read back), otherwise a WFDB annotation file.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="name">The file's name, for error messages.</param>
    /// <returns>Test annotations: beats with labels and NOISE shutdown/resume pairs for unreadable spans.</returns>
    /// <exception cref="FormatException">The content is none of the formats (the message names the file and line).</exception>
    public static IReadOnlyList<WfdbAnnotation> Read(byte[] content, string name)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = LooksLikeText(content) ? Encoding.UTF8.GetString(content) : null;
        var trimmed = text?.TrimStart();
        if (trimmed is not null && trimmed.StartsWith('{'))
        {
            return ReadJson(trimmed, name);
        }

        if (trimmed is not null && trimmed.StartsWith("kind,", StringComparison.Ordinal))
        {
            return ReadCsv(trimmed, name);
        }

        if (text is not null)
        {
            return ReadSamples(text, name);
        }

        try
        {
            return WfdbAnnotationReader.Parse(content, name);
        }
        catch (WfdbFormatException e)
        {
            throw new FormatException($"{name} is not a detections file (samples, CSV, JSON or WFDB annotations): {e.Message}", e);
        }
    }

    private static bool LooksLikeText(byte[] content) =>
        content.Length == 0 || content.All(b => b is (byte)'\n' or (byte)'\r' or (byte)'\t' || (b >= 0x20 && b < 0x7F));

    private static List<WfdbAnnotation> ReadSamples(string text, string name)
    {
        var list = new List<WfdbAnnotation>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.StartsWith("# unreadable ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 4 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                    || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var to))
                {
                    throw new FormatException($"{name} line {number}: '{line}' is not '# unreadable START END REASONS'.");
                }

                list.Add(Shutdown(from));
                list.Add(Resume(to));
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (!long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var sample))
            {
                throw new FormatException($"{name} line {number} is '{line}', not a sample index.");
            }

            list.Add(new WfdbAnnotation(sample, AnnotationCode.Normal, 0, 0, 0, null));
        }

        return [.. list.OrderBy(a => a.Sample)];
    }

    private static List<WfdbAnnotation> ReadCsv(string text, string name)
    {
        var list = new List<WfdbAnnotation>();
        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split(',');
            if (f.Length < 5 || !long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sample))
            {
                throw new FormatException($"{name} line {i + 1}: '{line}' is not 'kind,sample,end_sample,seconds,label'.");
            }

            if (f[0] == "beat")
            {
                list.Add(new WfdbAnnotation(sample, Label(f[4], name, i + 1), 0, 0, 0, null));
            }
            else if (f[0] == "unreadable" && long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                list.Add(Shutdown(sample));
                list.Add(Resume(end));
            }
            else
            {
                throw new FormatException($"{name} line {i + 1}: '{line}' is neither a beat nor an unreadable span.");
            }
        }

        return [.. list.OrderBy(a => a.Sample)];
    }

    private static List<WfdbAnnotation> ReadJson(string text, string name)
    {
        JsonDetection? d;
        try
        {
            d = JsonSerializer.Deserialize<JsonDetection>(text, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{name} is not a detections JSON file: {e.Message}", e);
        }

        if (d?.Beats is null)
        {
            throw new FormatException($"{name} has no 'beats' array.");
        }

        var list = d.Beats.Select(b => new WfdbAnnotation(b.Sample, Label(b.Label, name, 0), 0, 0, 0, null)).ToList();
        foreach (var s in d.Unreadable ?? [])
        {
            list.Add(Shutdown(s.StartSample));
            list.Add(Resume(s.EndSample));
        }

        return [.. list.OrderBy(a => a.Sample)];
    }

    private static AnnotationCode Label(string mnemonic, string name, int line) =>
        AnnotationCodes.TryParse(mnemonic, out var code) && AnnotationCodes.IsBeat(code)
            ? code
            : throw new FormatException($"{name}{(line > 0 ? $" line {line}" : "")}: '{mnemonic}' is not a beat label.");

    private static WfdbAnnotation Shutdown(long at) => new(at, AnnotationCode.Noise, -1, 0, 0, null);

    private static WfdbAnnotation Resume(long at) => new(at, AnnotationCode.Noise, 0, 0, 0, null);

    private sealed record JsonDetection(
        string Record, double SamplingFrequency, int Channel, string Algorithm, string AlgorithmVersion, JsonBeat[] Beats, JsonSpan[]? Unreadable);

    private sealed record JsonBeat(long Sample, double Seconds, string Label);

    private sealed record JsonSpan(long StartSample, long EndSample, string Reasons);
}
