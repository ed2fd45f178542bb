from changju_check.cli import main

main()
