using System.Globalization;

namespace HealthBlock.Analysis;

/// <summary>Parses the text of a WFDB header (<c>.hea</c>) file.</summary>
/// <remarks>
/// Supported: single-segment records; <c>#</c> comment lines anywhere (including before the record
/// line); blank lines; CR/LF or LF line endings; the optional fields of the record and signal lines
/// with WFDB defaults (fs 250, gain 200, baseline = ADC zero, units mV). Not supported (reported as
/// <see cref="WfdbFormatException"/>): multi-segment records, more than one sample per frame, skew.
/// </remarks>
public static class WfdbHeaderParser
{
    /// <summary>WFDB default sampling frequency when the record line does not give one.</summary>
    public const double DefaultSamplingFrequency = 250.0;

    /// <summary>WFDB default gain (ADC units per mV) when the signal line gives none or 0.</summary>
    public const double DefaultGain = 200.0;

    /// <summary>Upper bound on the number of signals accepted, to reject corrupt headers early.</summary>
    public const int MaxSignals = 4096;

    /// <summary>Parses header text.</summary>
    /// <param name="text">Full contents of the <c>.hea</c> file.</param>
    /// <param name="source">File name used in error messages.</param>
    /// <returns>The parsed header.</returns>
    /// <exception cref="WfdbFormatException">When the header is malformed or unsupported.</exception>
    public static WfdbHeader Parse(string text, string source = "header")
    {
        ArgumentNullException.ThrowIfNull(text);
        var comments = new List<string>();
        var content = new List<(string Line, int Number)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                comments.Add(line[1..].Trim());
                continue;
            }

            content.Add((line, i + 1));
        }

        if (content.Count == 0)
        {
            throw new WfdbFormatException($"{source}: no record line found.");
        }

        var (recordName, nsig, fs, nsamples) = ParseRecordLine(content[0].Line, source, content[0].Number);
        if (content.Count - 1 < nsig)
        {
            throw new WfdbFormatException(
                $"{source}: record line declares {nsig} signals but only {content.Count - 1} signal lines follow.");
        }

        var signals = new List<WfdbSignalInfo>(nsig);
        for (var s = 0; s < nsig; s++)
        {
            var (line, number) = content[s + 1];
            signals.Add(ParseSignalLine(line, source, number));
        }

        return new WfdbHeader(recordName, fs, nsamples, signals, comments);
    }

    private static (string Name, int Nsig, double Fs, long? Nsamples) ParseRecordLine(string line, string source, int lineNo)
    {
        var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var where = $"{source} line {lineNo} (record line)";
        if (tokens.Length < 2)
        {
            throw new WfdbFormatException($"{where}: expected 'name nsig [fs [nsamples]]', found '{Shorten(line)}'.");
        }

        var name = tokens[0];
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new WfdbFormatException($"{where}: multi-segment records ('{Shorten(name)}') are not supported.");
        }

        if (!int.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out var nsig) || nsig > MaxSignals)
        {
            throw new WfdbFormatException($"{where}: invalid number of signals '{Shorten(tokens[1])}'.");
        }

        var fs = DefaultSamplingFrequency;
        if (tokens.Length > 2)
        {
            var fsText = tokens[2];
            var cut = fsText.IndexOfAny(['/', '(']);
            if (cut >= 0)
            {
                fsText = fsText[..cut];
            }

            if (!double.TryParse(fsText, NumberStyles.Float, CultureInfo.InvariantCulture, out fs)
                || !double.IsFinite(fs) || fs <= 0 || fs > 1e7)
            {
                throw new WfdbFormatException($"{where}: invalid sampling frequency '{Shorten(tokens[2])}'.");
            }
        }

        long? nsamples = null;
        if (tokens.Length > 3)
        {
            if (!long.TryParse(tokens[3], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw new WfdbFormatException($"{where}: invalid number of samples '{Shorten(tokens[3])}'.");
            }

            nsamples = n == 0 ? null : n;
        }

        return (name, nsig, fs, nsamples);
    }

    private static WfdbSignalInfo ParseSignalLine(string line, string source, int lineNo)
    {
        var where = $"{source} line {lineNo} (signal line)";
        var tokens = SplitFields(line, 8, out var description);
        if (tokens.Count < 2)
        {
            throw new WfdbFormatException($"{where}: expected at least 'file format', found '{Shorten(line)}'.");
        }

        var fileName = tokens[0];
        var (format, offset) = ParseFormat(tokens[1], where);

        var gain = DefaultGain;
        int? baseline = null;
        var units = "mV";
        if (tokens.Count > 2)
        {
            (gain, baseline, units) = ParseGain(tokens[2], where);
        }

        var adcRes = tokens.Count > 3 ? ParseInt(tokens[3], "ADC resolution", where) : 0;
        if (adcRes == 0)
        {
            adcRes = format == 212 ? 12 : 16;
        }

        var adcZero = tokens.Count > 4 ? ParseInt(tokens[4], "ADC zero", where) : 0;
        var initVal = tokens.Count > 5 ? ParseInt(tokens[5], "initial value", where) : adcZero;
        int? checksum = tokens.Count > 6 ? ParseInt(tokens[6], "checksum", where) : null;
        var blockSize = tokens.Count > 7 ? ParseInt(tokens[7], "block size", where) : 0;

        return new WfdbSignalInfo(
            fileName, format, offset, gain, baseline ?? adcZero, units, adcRes, adcZero, initVal, checksum, blockSize,
            description);
    }

    /// <summary>Splits the first <paramref name="count"/> whitespace-separated fields; the rest is the description.</summary>
    private static List<string> SplitFields(string line, int count, out string rest)
    {
        var fields = new List<string>(count);
        var i = 0;
        while (fields.Count < count)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i >= line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            fields.Add(line[start..i]);
        }

        rest = i < line.Length ? line[i..].Trim() : string.Empty;
        return fields;
    }

    private static (int Format, long Offset) ParseFormat(string text, string where)
    {
        var i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == 0 || !int.TryParse(text.AsSpan(0, i), NumberStyles.None, CultureInfo.InvariantCulture, out var format))
        {
            throw new WfdbFormatException($"{where}: invalid format field '{Shorten(text)}'.");
        }

        long offset = 0;
        while (i < text.Length)
        {
            var tag = text[i++];
            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (!long.TryParse(text.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new WfdbFormatException($"{where}: invalid format field '{Shorten(text)}'.");
            }

            switch (tag)
            {
                case 'x' when value <= 1:
                    break;
                case 'x':
                    throw new WfdbFormatException($"{where}: {value} samples per frame are not supported.");
                case ':' when value == 0:
                    break;
                case ':':
                    throw new WfdbFormatException($"{where}: signal skew is not supported.");
                case '+':
                    offset = value;
                    break;
                default:
                    throw new WfdbFormatException($"{where}: invalid format field '{Shorten(text)}'.");
            }
        }

        return (format, offset);
    }

    private static (double Gain, int? Baseline, string Units) ParseGain(string text, string where)
    {
        var units = "mV";
        int? baseline = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var head = text;
        if (slash >= 0)
        {
            units = text[(slash + 1)..];
            head = text[..slash];
        }

        var open = head.IndexOf('(', StringComparison.Ordinal);
        var gainText = head;
        if (open >= 0)
        {
            var close = head.IndexOf(')', open + 1);
            if (close < 0 || close != head.Length - 1)
            {
                throw new WfdbFormatException($"{where}: invalid gain field '{Shorten(text)}'.");
            }

            baseline = ParseInt(head[(open + 1)..close], "baseline", where);
            gainText = head[..open];
        }

        if (!double.TryParse(gainText, NumberStyles.Float, CultureInfo.InvariantCulture, out var gain) || !double.IsFinite(gain))
        {
            throw new WfdbFormatException($"{where}: invalid gain '{Shorten(text)}'.");
        }

        return (gain == 0 ? DefaultGain : gain, baseline, units.Length == 0 ? "mV" : units);
    }

    private static int ParseInt(string text, string what, string where)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new WfdbFormatException($"{where}: invalid {what} '{Shorten(text)}'.");
        }

        return value;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
