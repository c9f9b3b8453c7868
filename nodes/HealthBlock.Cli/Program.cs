using HealthBlock.Cli;

return HealthBlockCommand.Invoke(CliContext.Console(), args);
