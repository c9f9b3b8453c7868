namespace HealthBlock.Devnet;

/// <summary>Where devnet shows its progress.</summary>
public interface IDevnetView
{
    /// <summary>A setup step.</summary>
    void Step(string message);

    /// <summary>Once a second while streaming.</summary>
    void Tick(DevnetSnapshot snapshot);

    /// <summary>The end.</summary>
    void Finished(DevnetReport report);
}
