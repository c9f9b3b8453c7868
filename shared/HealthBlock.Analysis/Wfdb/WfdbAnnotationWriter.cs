using System.Text;

namespace HealthBlock.Analysis;

/// <summary>
/// Writes annotation files in the MIT format that WFDB's <c>putann</c> writes and every WFDB tool reads
/// (<c>rdann</c>, <c>bxb</c>, WAVE, wfdb-python): the layout <see cref="WfdbAnnotationReader"/> describes.
/// </summary>
/// <remarks>
/// For each annotation, in the order given: the time difference from the previous one in the annotation word (a
/// SKIP first when it exceeds 1023 samples or is negative; for code 0, a SKIP to one sample before, as
/// <c>putann</c> does, so that no word is all zeros); then SUB when the subtype is not 0, CHN when the channel differs
/// from the previous annotation's, NUM when the number does, and AUX when there is auxiliary text (padded to an even
/// length). The file ends with a zero word. No annotation-table (custom mnemonic) entries are written.
/// </remarks>
public static class WfdbAnnotationWriter
{
    private const int MaxTimeField = 1023;

    /// <summary>Encodes annotations as the bytes of an annotation file.</summary>
    /// <param name="annotations">Annotations; times must be non-negative.</param>
    /// <param name="nulTerminatedAux">Count a terminating NUL in each AUX field, as the MIT-BIH reference files do
    /// (default true; WFDB's <c>wrann</c> writes the text without it).</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException">A time is negative, a code is beyond 49, or an AUX text exceeds 255 bytes.</exception>
    public static byte[] ToBytes(IEnumerable<WfdbAnnotation> annotations, bool nulTerminatedAux = true)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        var bytes = new List<byte>();
        long previous = 0;
        int channel = 0, number = 0;
        foreach (var a in annotations)
        {
            if (a.Sample < 0)
            {
                throw new ArgumentException($"annotation time {a.Sample} is negative", nameof(annotations));
            }

            if ((int)a.Code > AnnotationCodes.MaxCode)
            {
                throw new ArgumentException($"annotation code {(int)a.Code} is beyond {AnnotationCodes.MaxCode}", nameof(annotations));
            }

            var delta = a.Sample - previous;
            if (a.Code == AnnotationCode.NotQrs)
            {
                Skip(bytes, delta - 1);
                delta = 1;
            }
            else if (delta > MaxTimeField || delta < 0)
            {
                Skip(bytes, delta);
                delta = 0;
            }

            Word(bytes, (int)a.Code, (int)delta);
            if (a.SubType != 0)
            {
                Word(bytes, WfdbAnnotationReader.SubCode, a.SubType & 0x3FF);
            }

            if (a.Channel != channel)
            {
                Word(bytes, WfdbAnnotationReader.ChnCode, a.Channel & 0x3FF);
            }

            if (a.Number != number)
            {
                Word(bytes, WfdbAnnotationReader.NumCode, a.Number & 0x3FF);
            }

            if (!string.IsNullOrEmpty(a.Aux))
            {
                var text = Encoding.Latin1.GetBytes(a.Aux);
                var length = text.Length + (nulTerminatedAux ? 1 : 0);
                if (length > 255)
                {
                    throw new ArgumentException($"AUX text of {text.Length} bytes is too long (at most 254)", nameof(annotations));
                }

                Word(bytes, WfdbAnnotationReader.AuxCode, length);
                bytes.AddRange(text);
                if (nulTerminatedAux)
                {
                    bytes.Add(0);
                }

                if (length % 2 == 1)
                {
                    bytes.Add(0);
                }
            }

            previous = a.Sample;
            channel = a.Channel;
            number = a.Number;
        }

        Word(bytes, 0, 0);
        return [.. bytes];
    }

    /// <summary>Writes annotations to <c>PATH</c> (e.g. <c>records/100.hb</c>).</summary>
    /// <param name="path">File to create or overwrite.</param>
    /// <param name="annotations">Annotations.</param>
    /// <param name="nulTerminatedAux">See <see cref="ToBytes"/>.</param>
    /// <exception cref="IOException">When the file cannot be written.</exception>
    public static void Write(string path, IEnumerable<WfdbAnnotation> annotations, bool nulTerminatedAux = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, ToBytes(annotations, nulTerminatedAux));
    }

    private static void Word(List<byte> bytes, int code, int field)
    {
        var word = (code << 10) | (field & 0x3FF);
        bytes.Add((byte)(word & 0xFF));
        bytes.Add((byte)(word >> 8));
    }

    /// <summary>SKIP: the pseudo-code word, then the 32-bit interval with its high 16-bit word first (PDP-11 order).</summary>
    private static void Skip(List<byte> bytes, long interval)
    {
        var v = (int)interval;
        Word(bytes, WfdbAnnotationReader.SkipCode, 0);
        bytes.Add((byte)((v >> 16) & 0xFF));
        bytes.Add((byte)((v >> 24) & 0xFF));
        bytes.Add((byte)(v & 0xFF));
        bytes.Add((byte)((v >> 8) & 0xFF));
    }
}
