using Krait.Cli;

return KraitCommand.Create().Parse(args).Invoke();
