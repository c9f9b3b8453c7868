using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("HealthBlock.Wearable")]
[assembly: AssemblyDescription("HealthBlock wearable firmware for ESP32 (.NET nanoFramework)")]
[assembly: AssemblyCompany("HealthBlock")]
[assembly: AssemblyProduct("HealthBlock")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
