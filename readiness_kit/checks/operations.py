"""Operations checks."""
