namespace HealthBlock.Analysis;

/// <summary>Builds the <see cref="Finding.Values"/> dictionary, dropping non-finite numbers (JSON cannot hold them).</summary>
internal sealed class FindingValues
{
    private readonly SortedDictionary<string, double> _values = new(StringComparer.Ordinal);

    public FindingValues Add(string name, double value)
    {
        if (double.IsFinite(value))
        {
            _values[name] = Math.Round(value, 4);
        }

        return this;
    }

    public IReadOnlyDictionary<string, double> Build() => new Dictionary<string, double>(_values, StringComparer.Ordinal);
}
