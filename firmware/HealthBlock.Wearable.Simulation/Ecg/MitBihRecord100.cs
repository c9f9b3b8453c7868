using HealthBlock.Analysis;

namespace HealthBlock.Wearable.Simulation.Ecg;

/// <summary>
/// MIT-BIH Arrhythmia Database record 100 (two leads, 360 Hz, 30 min 6 s, 2,273 annotated beats), embedded in this
/// assembly from the repository's <c>data/mitdb</c> folder (source, licence and citations in its README), read with
/// the one WFDB reader of the analysis library.
/// </summary>
public static class MitBihRecord100
{
    /// <summary>The record's name.</summary>
    public const string Name = "100";

    private static readonly Lazy<WfdbRecord> RecordLazy = new(() => WfdbReader.ReadRecord(Name, OpenFile));
    private static readonly Lazy<IReadOnlyList<WfdbAnnotation>> AnnotationsLazy = new(ReadAnnotations);

    /// <summary>The record (header and both signals), read once.</summary>
    /// <exception cref="FileNotFoundException">A file of the record is not embedded (the message names it).</exception>
    /// <exception cref="WfdbFormatException">An embedded file is corrupt.</exception>
    public static WfdbRecord Record => RecordLazy.Value;

    /// <summary>The reference annotations of <c>100.atr</c>, read once.</summary>
    /// <exception cref="FileNotFoundException">The annotation file is not embedded (the message names it).</exception>
    public static IReadOnlyList<WfdbAnnotation> Annotations => AnnotationsLazy.Value;

    /// <summary>Opens one embedded file of the record (<c>100.hea</c>, <c>100.dat</c> or <c>100.atr</c>).</summary>
    /// <param name="fileName">The file's name.</param>
    /// <returns>A readable, seekable stream.</returns>
    /// <exception cref="FileNotFoundException">The file is not embedded in this assembly.</exception>
    public static Stream OpenFile(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var resource = "mitdb/" + fileName;
        return typeof(MitBihRecord100).Assembly.GetManifestResourceStream(resource)
            ?? throw new FileNotFoundException($"MIT-BIH data file {fileName} is not embedded in {typeof(MitBihRecord100).Assembly.GetName().Name} (resource {resource})", fileName);
    }

    private static IReadOnlyList<WfdbAnnotation> ReadAnnotations()
    {
        var fileName = Name + ".atr";
        using var stream = OpenFile(fileName);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return WfdbAnnotationReader.Parse(memory.ToArray(), fileName);
    }
}
