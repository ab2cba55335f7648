namespace Krait.Repodata; public static class Placeholder { }
