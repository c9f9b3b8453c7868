namespace HealthBlock.Web.Hosting;

/// <summary>Which role's page the host serves (registered as a service).</summary>
internal sealed record PageRoleMarker(PageRole Role);
