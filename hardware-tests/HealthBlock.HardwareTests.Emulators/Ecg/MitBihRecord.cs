using System.Globalization;

namespace HealthBlock.HardwareTests.Emulators.Ecg;

/// <summary>One signal of a WFDB record, as its header line describes it.</summary>
/// <param name="FileName">The signal file.</param>
/// <param name="Format">The storage format (212 here).</param>
/// <param name="Gain">ADC units per millivolt.</param>
/// <param name="Baseline">The ADC value of 0 mV.</param>
/// <param name="InitialValue">The first sample, for checking.</param>
/// <param name="Checksum">The 16-bit sum of all samples, for checking.</param>
/// <param name="Description">What the signal is (lead name).</param>
public sealed record MitBihSignal(string FileName, int Format, double Gain, int Baseline, int InitialValue, short Checksum, string Description);

/// <summary>One annotation of a WFDB annotation file.</summary>
/// <param name="Sample">Sample index (at the record's frequency) it applies to.</param>
/// <param name="Code">The MIT annotation code (1 = normal beat, …).</param>
public readonly record struct MitBihAnnotation(long Sample, int Code)
{
    private static readonly HashSet<int> BeatCodes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 25, 30, 31, 34, 35, 38];

    /// <summary>Whether the annotation marks a heartbeat (QRS complex) rather than rhythm, noise or a comment.</summary>
    public bool IsBeat => BeatCodes.Contains(Code);
}

/// <summary>
/// A minimal reader of MIT-BIH records in WFDB form: the header (<c>.hea</c>), signal files in format 212 and the
/// MIT annotation format (<c>.atr</c>). Private to the emulators (the analysis node has its own full reader).
/// </summary>
/// <remarks>
/// Format 212 packs two 12-bit two's-complement samples into three bytes: sample A is byte 0 plus the low nibble
/// of byte 1 as bits 8–11; sample B is byte 2 plus the high nibble of byte 1. With two signals the samples
/// alternate signal 0, signal 1, so each 3-byte group is one instant of both.
/// </remarks>
public sealed class MitBihRecord
{
    private readonly short[][] _samples;

    private MitBihRecord(string name, int frequency, IReadOnlyList<MitBihSignal> signals, short[][] samples, IReadOnlyList<MitBihAnnotation> annotations)
    {
        Name = name;
        Frequency = frequency;
        Signals = signals;
        _samples = samples;
        Annotations = annotations;
    }

    /// <summary>Record name.</summary>
    public string Name { get; }

    /// <summary>Samples per second per signal.</summary>
    public int Frequency { get; }

    /// <summary>Samples per signal.</summary>
    public long Length => _samples[0].Length;

    /// <summary>The signals.</summary>
    public IReadOnlyList<MitBihSignal> Signals { get; }

    /// <summary>The reference annotations (empty when there is no <c>.atr</c>).</summary>
    public IReadOnlyList<MitBihAnnotation> Annotations { get; }

    /// <summary>The directory of the shared MIT-BIH data, found by walking up from <paramref name="start"/> (or the current directory).</summary>
    public static string FindDataDirectory(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "mitdb");
            if (File.Exists(Path.Combine(candidate, "100.hea")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/data/mitdb (with 100.hea) not found above " + (start ?? AppContext.BaseDirectory));
    }

    /// <summary>Loads record <paramref name="name"/> from <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The header or a signal file is malformed or fails its checks.</exception>
    public static MitBihRecord Load(string directory, string name)
    {
        var lines = File.ReadAllLines(Path.Combine(directory, name + ".hea"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToList();
        if (lines.Count == 0)
        {
            throw new InvalidDataException("empty header");
        }

        var record = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (record.Length < 4 || record[0] != name)
        {
            throw new InvalidDataException("bad record line: " + lines[0]);
        }

        var signalCount = Int(record[1]);
        var frequency = (int)double.Parse(record[2].Split('/')[0], CultureInfo.InvariantCulture);
        var length = long.Parse(record[3], CultureInfo.InvariantCulture);
        if (lines.Count < 1 + signalCount)
        {
            throw new InvalidDataException("header lists fewer signals than it declares");
        }

        var signals = lines.Skip(1).Take(signalCount).Select(ParseSignal).ToList();
        if (signals.Any(s => s.Format != 212) || signals.Select(s => s.FileName).Distinct().Count() != 1)
        {
            throw new InvalidDataException("only one format-212 file holding every signal is supported");
        }

        var samples = Read212(Path.Combine(directory, signals[0].FileName), signalCount, length);
        for (var s = 0; s < signalCount; s++)
        {
            short sum = 0;
            foreach (var v in samples[s])
            {
                sum = unchecked((short)(sum + v));
            }

            if (samples[s][0] != signals[s].InitialValue || sum != signals[s].Checksum)
            {
                throw new InvalidDataException($"signal {s} fails its initial-value or checksum check");
            }
        }

        var atr = Path.Combine(directory, name + ".atr");
        var annotations = File.Exists(atr) ? ReadAnnotations(File.ReadAllBytes(atr)) : [];
        return new MitBihRecord(name, frequency, signals, samples, annotations);
    }

    /// <summary>The raw ADC values of one signal.</summary>
    public ReadOnlySpan<short> Samples(int signal) => _samples[signal];

    /// <summary>Sample <paramref name="index"/> of <paramref name="signal"/> in millivolts.</summary>
    public double Millivolts(int signal, long index) => (_samples[signal][index] - Signals[signal].Baseline) / Signals[signal].Gain;

    /// <summary>Decodes MIT-format annotations.</summary>
    public static List<MitBihAnnotation> ReadAnnotations(ReadOnlySpan<byte> data)
    {
        var result = new List<MitBihAnnotation>();
        long time = 0;
        var i = 0;
        while (i + 1 < data.Length)
        {
            var word = data[i] | (data[i + 1] << 8);
            i += 2;
            var code = word >> 10;
            var value = word & 0x3FF;
            switch (code)
            {
                case 0 when value == 0:
                    return result;
                case 59: // SKIP: a 32-bit interval follows, high 16 bits first, each half little-endian
                    if (i + 3 >= data.Length)
                    {
                        return result;
                    }

                    var high = data[i] | (data[i + 1] << 8);
                    var low = data[i + 2] | (data[i + 3] << 8);
                    time += (high << 16) | low;
                    i += 4;
                    break;
                case 60 or 61 or 62: // NUM, SUB, CHN modify the previous annotation
                    break;
                case 63: // AUX: 'value' bytes of text follow, padded to an even count
                    i += (value + 1) & ~1;
                    break;
                default:
                    time += value;
                    result.Add(new MitBihAnnotation(time, code));
                    break;
            }
        }

        return result;
    }

    private static MitBihSignal ParseSignal(string line)
    {
        var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 7)
        {
            throw new InvalidDataException("bad signal line: " + line);
        }

        var format = Int(f[1].Split('x', ':')[0]);
        var adcZero = f.Length > 4 ? Int(f[4]) : 0;

        // Gain may be written "200", "200/mV" or "200(1024)/mV" (with an explicit baseline).
        var gainText = f[2].Split('/')[0];
        var baseline = adcZero;
        var open = gainText.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            baseline = Int(gainText[(open + 1)..gainText.IndexOf(')', StringComparison.Ordinal)]);
            gainText = gainText[..open];
        }

        var gain = double.Parse(gainText, CultureInfo.InvariantCulture);
        return new MitBihSignal(f[0], format, gain == 0 ? 200 : gain, baseline, Int(f[5]), (short)Int(f[6]), f.Length > 8 ? string.Join(' ', f[8..]) : string.Empty);
    }

    private static short[][] Read212(string path, int signalCount, long length)
    {
        var bytes = File.ReadAllBytes(path);
        var total = signalCount * length;
        if (bytes.Length < (total * 3 / 2))
        {
            throw new InvalidDataException($"{path} holds fewer than {total} samples");
        }

        var samples = new short[signalCount][];
        for (var s = 0; s < signalCount; s++)
        {
            samples[s] = new short[length];
        }

        for (long k = 0; k < total; k += 2)
        {
            var o = (int)(k / 2 * 3);
            var a = bytes[o] | ((bytes[o + 1] & 0x0F) << 8);
            var b = bytes[o + 2] | ((bytes[o + 1] & 0xF0) << 4);
            Put(samples, signalCount, k, a);
            if (k + 1 < total)
            {
                Put(samples, signalCount, k + 1, b);
            }
        }

        return samples;
    }

    private static void Put(short[][] samples, int signalCount, long k, int value12)
    {
        var value = (short)(value12 >= 0x800 ? value12 - 0x1000 : value12);
        samples[k % signalCount][k / signalCount] = value;
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
