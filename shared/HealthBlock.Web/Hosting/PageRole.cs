namespace HealthBlock.Web.Hosting;

/// <summary>Whose page a host serves.</summary>
internal enum PageRole
{
    /// <summary>The patient page (the gateway).</summary>
    Patient,

    /// <summary>The doctor page (the doctor node).</summary>
    Doctor,
}
