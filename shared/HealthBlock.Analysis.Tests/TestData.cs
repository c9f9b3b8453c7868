using HealthBlock.Analysis;
using HealthBlock.TestSupport;

namespace HealthBlock.Analysis.Tests;

/// <summary>MIT-BIH record 100 from the repository's <c>data/mitdb</c>, read once. Missing data is a test failure, never a skip.</summary>
internal static class TestData
{
    private static readonly Lazy<(WfdbRecord Record, IReadOnlyList<WfdbAnnotation> Annotations)> Record100Lazy =
        new(() => (WfdbReader.ReadRecord(Record100Path), WfdbAnnotationReader.Read(Record100Path)));

    public static string Record100Path => RepositoryFiles.MitBihRecord100;

    public static WfdbRecord Record100 => Record100Lazy.Value.Record;

    public static IReadOnlyList<WfdbAnnotation> Record100Annotations => Record100Lazy.Value.Annotations;
}

/// <summary>Writes WFDB files into a private temporary directory, deleted on dispose.</summary>
internal sealed class TempRecordDirectory : IDisposable
{
    public TempRecordDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hb-analysis-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, string header, byte[]? dat = null, string datName = "")
    {
        File.WriteAllText(System.IO.Path.Combine(Path, name + ".hea"), header);
        if (dat is not null)
        {
            File.WriteAllBytes(System.IO.Path.Combine(Path, datName.Length > 0 ? datName : name + ".dat"), dat);
        }

        return System.IO.Path.Combine(Path, name);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Encodes interleaved frames in format 16.</summary>
    public static byte[] Format16(int[][] signals)
    {
        var n = signals[0].Length;
        var bytes = new List<byte>();
        for (var t = 0; t < n; t++)
        {
            foreach (var s in signals)
            {
                bytes.Add((byte)(s[t] & 0xFF));
                bytes.Add((byte)((s[t] >> 8) & 0xFF));
            }
        }

        return [.. bytes];
    }

    /// <summary>Encodes interleaved frames in format 212 (pairs of 12-bit values in 3 bytes).</summary>
    public static byte[] Format212(int[][] signals)
    {
        var values = new List<int>();
        for (var t = 0; t < signals[0].Length; t++)
        {
            foreach (var s in signals)
            {
                values.Add(s[t] & 0xFFF);
            }
        }

        var bytes = new List<byte>();
        for (var i = 0; i < values.Count; i += 2)
        {
            var a = values[i];
            if (i + 1 < values.Count)
            {
                var b = values[i + 1];
                bytes.Add((byte)(a & 0xFF));
                bytes.Add((byte)(((a >> 8) & 0x0F) | ((b >> 4) & 0xF0)));
                bytes.Add((byte)(b & 0xFF));
            }
            else
            {
                bytes.Add((byte)(a & 0xFF));
                bytes.Add((byte)((a >> 8) & 0x0F));
            }
        }

        return [.. bytes];
    }

    /// <summary>16-bit checksum as WFDB computes it.</summary>
    public static short Checksum(int[] samples) => (short)samples.Sum();
}

/// <summary>Builds MIT-format annotation bytes.</summary>
internal sealed class AnnotationWriter
{
    private readonly List<byte> _bytes = [];

    public AnnotationWriter Word(int code, int field)
    {
        _bytes.Add((byte)(field & 0xFF));
        _bytes.Add((byte)((code << 2) | ((field >> 8) & 0x03)));
        return this;
    }

    public AnnotationWriter Beat(AnnotationCode code, int delta) => Word((int)code, delta);

    public AnnotationWriter Skip(int interval)
    {
        Word(59, 0);
        _bytes.Add((byte)((interval >> 16) & 0xFF));
        _bytes.Add((byte)((interval >> 24) & 0xFF));
        _bytes.Add((byte)(interval & 0xFF));
        _bytes.Add((byte)((interval >> 8) & 0xFF));
        return this;
    }

    public AnnotationWriter Aux(string text)
    {
        Word(63, text.Length);
        _bytes.AddRange(System.Text.Encoding.Latin1.GetBytes(text));
        if (text.Length % 2 == 1)
        {
            _bytes.Add(0);
        }

        return this;
    }

    public AnnotationWriter End() => Word(0, 0);

    public byte[] ToArray() => [.. _bytes];
}
