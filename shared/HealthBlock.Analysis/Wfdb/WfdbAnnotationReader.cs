using System.Text;

namespace HealthBlock.Analysis;

/// <summary>Reads annotation files in the MIT format (e.g. <c>100.atr</c>).</summary>
/// <remarks>
/// The file is a sequence of 16-bit little-endian words: the top 6 bits are a type code, the low
/// 10 bits a time increment (or a data field). Codes 1-49 start a new annotation at
/// <c>time += increment</c>. Pseudo-codes: SKIP (59) is followed by a 32-bit interval in PDP-11
/// order (high word first, each word little-endian) added to the time; NUM (60), SUB (61) and
/// CHN (62) set the number, subtype and channel of the annotation just read (NUM and CHN persist
/// for the following annotations); AUX (63) is followed by that many bytes of text, padded to an
/// even length. The word 0 (type 0, time 0) ends the file; end of data on a word boundary is
/// accepted as the end as well.
/// </remarks>
public static class WfdbAnnotationReader
{
    /// <summary>Pseudo-code SKIP (a 32-bit time interval follows).</summary>
    internal const int SkipCode = 59;

    /// <summary>Pseudo-code NUM.</summary>
    internal const int NumCode = 60;

    /// <summary>Pseudo-code SUB.</summary>
    internal const int SubCode = 61;

    /// <summary>Pseudo-code CHN.</summary>
    internal const int ChnCode = 62;

    /// <summary>Pseudo-code AUX (that many bytes of text follow).</summary>
    internal const int AuxCode = 63;

    /// <summary>Reads <c>PATH.ANNOTATOR</c>, e.g. <c>data/mitdb/100.atr</c>.</summary>
    /// <param name="recordPath">Record path without extension.</param>
    /// <param name="annotator">Annotator name (file extension), default <c>atr</c>.</param>
    /// <returns>Annotations in file order.</returns>
    /// <exception cref="WfdbFormatException">When the file is malformed or truncated.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    public static IReadOnlyList<WfdbAnnotation> Read(string recordPath, string annotator = "atr")
    {
        ArgumentException.ThrowIfNullOrEmpty(recordPath);
        ArgumentException.ThrowIfNullOrEmpty(annotator);
        var path = recordPath + "." + annotator;
        return Parse(File.ReadAllBytes(path), Path.GetFileName(path));
    }

    /// <summary>Parses the bytes of an MIT-format annotation file.</summary>
    /// <param name="data">File contents.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <returns>Annotations in file order.</returns>
    /// <exception cref="WfdbFormatException">When the data is malformed or truncated.</exception>
    public static IReadOnlyList<WfdbAnnotation> Parse(ReadOnlySpan<byte> data, string source = "annotations")
    {
        var result = new List<WfdbAnnotation>();
        WfdbAnnotation? current = null;
        long time = 0;
        var num = 0;
        var chan = 0;
        var pos = 0;
        while (true)
        {
            if (pos == data.Length)
            {
                break;
            }

            if (pos + 2 > data.Length)
            {
                throw new WfdbFormatException($"{source}: truncated annotation word at byte {pos}.");
            }

            var word = data[pos] | (data[pos + 1] << 8);
            var at = pos;
            pos += 2;
            var code = word >> 10;
            var field = word & 0x3FF;
            if (code == 0 && field == 0)
            {
                break;
            }

            switch (code)
            {
                case SkipCode:
                    if (pos + 4 > data.Length)
                    {
                        throw new WfdbFormatException($"{source}: truncated SKIP interval at byte {at}.");
                    }

                    var interval = (data[pos + 1] << 24) | (data[pos] << 16) | (data[pos + 3] << 8) | data[pos + 2];
                    pos += 4;
                    time += interval;
                    break;
                case NumCode:
                    num = SignExtend10(field);
                    if (current is { } n)
                    {
                        current = n with { Number = num };
                    }

                    break;
                case SubCode:
                    if (current is { } s)
                    {
                        current = s with { SubType = SignExtend10(field) };
                    }

                    break;
                case ChnCode:
                    chan = field;
                    if (current is { } c)
                    {
                        current = c with { Channel = chan };
                    }

                    break;
                case AuxCode:
                    if (pos + field > data.Length)
                    {
                        throw new WfdbFormatException(
                            $"{source}: AUX field at byte {at} declares {field} bytes but only {data.Length - pos} remain.");
                    }

                    var text = Encoding.Latin1.GetString(data.Slice(pos, field)).TrimEnd('\0');
                    pos += field + (field & 1);
                    pos = Math.Min(pos, data.Length);
                    if (current is { } a)
                    {
                        current = a with { Aux = text };
                    }

                    break;
                case > AnnotationCodes.MaxCode:
                    throw new WfdbFormatException($"{source}: undefined annotation code {code} at byte {at}.");
                default:
                    if (current is { } done)
                    {
                        result.Add(done);
                    }

                    time += field;
                    if (time < 0)
                    {
                        throw new WfdbFormatException($"{source}: negative annotation time at byte {at}.");
                    }

                    current = new WfdbAnnotation(time, (AnnotationCode)code, 0, chan, num, null);
                    break;
            }
        }

        if (current is { } last)
        {
            result.Add(last);
        }

        return result;
    }

    /// <summary>Sample indices of the beat annotations (WFDB <c>isqrs</c>) in a list.</summary>
    /// <param name="annotations">Annotations, e.g. from <see cref="Read"/>.</param>
    /// <returns>Beat sample indices in file order.</returns>
    public static long[] BeatSamples(IEnumerable<WfdbAnnotation> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        return [.. annotations.Where(a => a.IsBeat).Select(a => a.Sample)];
    }

    private static int SignExtend10(int value) => (value & 0x200) != 0 ? value - 0x400 : value;
}
