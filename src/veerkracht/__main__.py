from veerkracht.cli import main

main()
